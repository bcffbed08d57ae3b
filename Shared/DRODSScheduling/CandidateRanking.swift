/// The rank order of a decision's scored candidates: higher total first, then the task's
/// stable tie-break, then the domain name.
///
/// A tie-break hashes the task id and the domain name, so it is computed only when two totals
/// are equal, and remembered. `top` picks the best few without sorting every candidate.
final class CandidateRanking {
    /// Hash state of the task id, from which every candidate's tie-break continues.
    private let tiePrefix: UInt64
    let fleet: FleetColumns
    /// Column index of each candidate position.
    let indices: [Int]
    let totals: [Double]
    private var tieBreakers: [UInt64?]

    init(taskID: String, fleet: FleetColumns, indices: [Int], totals: [Double]) {
        tiePrefix = StableHash.prefix(taskID: taskID)
        self.fleet = fleet
        self.indices = indices
        self.totals = totals
        tieBreakers = Array(repeating: nil, count: indices.count)
    }

    /// Returns the tie-break of the candidate at `position`.
    func tieBreaker(_ position: Int) -> UInt64 {
        if let known = tieBreakers[position] { return known }
        let value = StableHash.tieBreaker(prefix: tiePrefix, domain: fleet.domains[indices[position]].name)
        tieBreakers[position] = value
        return value
    }

    /// Returns whether the candidate at position `a` ranks before the one at `b`.
    @inline(__always)
    func precedes(_ a: Int, _ b: Int) -> Bool {
        if totals[a] != totals[b] { return totals[a] > totals[b] }
        let (aTie, bTie) = (tieBreaker(a), tieBreaker(b))
        if aTie != bTie { return aTie > bTie }
        return fleet.domains[indices[a]].name < fleet.domains[indices[b]].name
    }

    /// Returns every candidate position, best first.
    func all() -> [Int] {
        Array(indices.indices).sorted { precedes($0, $1) }
    }

    /// Returns the positions of the best `count` candidates that satisfy `isIncluded`, best
    /// first. It keeps a sorted list of at most `count` entries, so most candidates cost one
    /// comparison with the worst kept one.
    func top(_ count: Int) -> [Int] {
        top(count, where: nil)
    }

    func top(_ count: Int, where isIncluded: ((Int) -> Bool)?) -> [Int] {
        guard count > 0 else { return [] }
        guard count < indices.count else { return isIncluded.map { all().filter($0) } ?? all() }
        var best: [Int] = []
        best.reserveCapacity(count + 1)
        var worstTotal = -Double.infinity
        totals.withUnsafeBufferPointer { totals in
            for position in totals.indices {
                // The rank test first: it is cheaper than `isIncluded` and rejects most
                // candidates, most of them on the total alone.
                if best.count == count {
                    guard totals[position] >= worstTotal, precedes(position, best[count - 1]),
                          isIncluded?(position) ?? true else { continue }
                    best.removeLast()
                } else if let isIncluded, !isIncluded(position) {
                    continue
                }
                var slot = best.count
                while slot > 0, precedes(position, best[slot - 1]) { slot -= 1 }
                best.insert(position, at: slot)
                if best.count == count { worstTotal = totals[best[count - 1]] }
            }
        }
        return best
    }
}
