/// Divides a task's replicas over candidate domains by the task's division mode, honouring
/// capacity, per-domain minimums and maximums, and the spread bounds.
public struct ReplicaDivider: Sendable {
    public var replicas: Int
    public var mode: DivisionMode
    public var minDomains: Int?
    public var maxDomains: Int?

    public init(replicas: Int, mode: DivisionMode, minDomains: Int? = nil, maxDomains: Int? = nil) {
        self.replicas = replicas
        self.mode = mode
        self.minDomains = minDomains
        self.maxDomains = maxDomains
    }

    /// Returns the division of `replicas` over `candidates`.
    public func divide(_ candidates: [DivisionCandidate]) -> Division {
        if case .duplicated = mode, let division = duplicateUnranked(candidates) { return division }
        let ranked = candidates.sorted { $0.ranksBefore($1) }
        switch mode {
        case .duplicated:
            return duplicate(ranked)
        case .staticWeights(let weights):
            return proportional(ranked) { Double(weights[$0.domain] ?? 0) }
        case .dynamicWeights:
            return proportional(ranked) { $0.score }
        case .aggregated:
            return aggregate(ranked)
        }
    }

    // MARK: - Selection

    /// Keeps every domain with running replicas, then the best-ranked others up to `maxDomains`.
    private func choose(_ usable: [DivisionCandidate]) -> (chosen: [DivisionCandidate], notes: [String]) {
        var notes: [String] = []
        guard let maxDomains else { return (usable, notes) }
        let keeping = usable.filter { $0.kept > 0 }
        let others = usable.filter { $0.kept == 0 }
        if keeping.count > maxDomains {
            // Running replicas are not moved only to meet the bound; a scale-down or a failure
            // frees those domains later.
            notes.append("\(keeping.count) domains already run replicas, more than maxDomains (\(maxDomains))")
        }
        return (keeping + others.prefix(max(0, maxDomains - keeping.count)), notes)
    }

    /// Returns a note when fewer than `minDomains` domains can hold replicas.
    private func spreadNote(_ chosen: [DivisionCandidate]) -> String? {
        guard let minDomains, chosen.count < minDomains else { return nil }
        return "spread needs at least \(minDomains) domains, only \(chosen.count) can take replicas"
    }

    private func minimumNotes(_ slots: [DivisionSlot]) -> [String] {
        slots.filter { $0.minimum > $0.capacity }.map {
            "minimum of \($0.minimum) replicas in \($0.domain) exceeds its capacity of \($0.capacity)"
        }
    }

    // MARK: - Modes

    private func proportional(_ ranked: [DivisionCandidate],
                              weight: (DivisionCandidate) -> Double) -> Division {
        let usable = ranked.filter { $0.kept > 0 || ($0.capacity > 0 && weight($0) > 0) }
        var (chosen, notes) = choose(usable)
        if let note = spreadNote(chosen) { notes.append(note) }

        let spreadMinimum = replicas >= (minDomains ?? 0) ? (minDomains ?? 0) : 0
        var slots = chosen.enumerated().map { index, candidate in
            DivisionSlot(domain: candidate.domain, weight: max(0, weight(candidate)), seats: candidate.kept,
                         capacity: candidate.capacity,
                         minimum: max(candidate.bounds.minimum, index < spreadMinimum ? 1 : 0),
                         tieBreaker: candidate.tieBreaker)
        }
        notes += minimumNotes(slots)

        slots = Self.leadingSlots(slots, replicas: replicas)
        let overCapacity = slots.reduce(0) { $0 + max(0, $1.seats - $1.capacity) }
        slots = HighestAverages.remove(overCapacity, from: slots)
        let held = slots.reduce(0) { $0 + $1.seats }
        var unplaced = 0
        if held > replicas {
            slots = HighestAverages.remove(held - replicas, from: slots)
        } else {
            (slots, unplaced) = HighestAverages.add(replicas - held, to: slots)
        }
        return Division(counts: counts(slots), unplaced: unplaced, notes: notes,
                        meetsMinDomains: spreadNote(chosen) == nil)
    }

    /// Fills the best-ranked domain to capacity, then the next, after each domain's minimum.
    private func aggregate(_ ranked: [DivisionCandidate]) -> Division {
        var (chosen, notes) = choose(ranked.filter { $0.kept > 0 || $0.capacity > 0 })
        if let note = spreadNote(chosen) { notes.append(note) }

        let spreadMinimum = replicas >= (minDomains ?? 0) ? (minDomains ?? 0) : 0
        var seats = chosen.map { min($0.kept, $0.capacity) }
        let minimums = chosen.enumerated().map { index, candidate in
            max(candidate.bounds.minimum, index < spreadMinimum ? 1 : 0)
        }
        for (index, candidate) in chosen.enumerated() where minimums[index] > candidate.capacity {
            notes.append("minimum of \(minimums[index]) replicas in \(candidate.domain) exceeds its "
                         + "capacity of \(candidate.capacity)")
        }

        var remaining = replicas - seats.reduce(0, +)
        // Scale-down empties the worst-ranked domains first, down to their minimums, then below.
        for pass in 0..<2 where remaining < 0 {
            for index in chosen.indices.reversed() where remaining < 0 {
                let floor = pass == 0 ? min(minimums[index], seats[index]) : 0
                let removable = min(seats[index] - floor, -remaining)
                seats[index] -= removable
                remaining += removable
            }
        }
        // Minimums first, then fill in rank order.
        for index in chosen.indices where remaining > 0 {
            let raise = min(max(0, min(minimums[index], chosen[index].capacity) - seats[index]), remaining)
            seats[index] += raise
            remaining -= raise
        }
        for index in chosen.indices where remaining > 0 {
            let raise = min(chosen[index].capacity - seats[index], remaining)
            seats[index] += raise
            remaining -= raise
        }

        var result: [String: Int] = [:]
        result.reserveCapacity(chosen.count)
        for (index, candidate) in chosen.enumerated() where seats[index] > 0 { result[candidate.domain] = seats[index] }
        return Division(counts: result, unplaced: max(0, remaining), notes: notes,
                        meetsMinDomains: spreadNote(chosen) == nil)
    }

    /// Returns the duplicated division when it does not depend on rank: no `maxDomains`, and
    /// enough domains hold every replica; nil otherwise. Large fleets then skip the sort.
    private func duplicateUnranked(_ candidates: [DivisionCandidate]) -> Division? {
        guard maxDomains == nil else { return nil }
        let qualifying = candidates.reduce(0) { $0 + ($1.capacity >= replicas ? 1 : 0) }
        guard qualifying >= max(1, minDomains ?? 1) || replicas <= 0 else { return nil }
        guard replicas > 0 else { return Division(counts: [:], unplaced: 0) }
        var result: [String: Int] = [:]
        result.reserveCapacity(qualifying)
        var ordered: [(name: String, count: Int)] = []
        ordered.reserveCapacity(qualifying)
        for candidate in candidates where candidate.capacity >= replicas {
            result[candidate.domain] = replicas
            ordered.append((candidate.domain, replicas))
        }
        var division = Division(counts: result, unplaced: 0)
        division.orderedCounts = ordered
        return division
    }

    /// Gives every chosen domain the full count. A domain that cannot hold all replicas is not
    /// chosen, unless fewer than `minDomains` (at least 1) could, when the best of them take
    /// what fits and the rest counts as unplaced.
    private func duplicate(_ ranked: [DivisionCandidate]) -> Division {
        let qualifying = ranked.filter { $0.capacity >= replicas }
        let selection = choose(qualifying)
        let chosen = selection.chosen
        var notes = selection.notes
        let requiredDomains = max(1, minDomains ?? 1)
        var result: [String: Int] = [:]
        for candidate in chosen { result[candidate.domain] = replicas }
        guard chosen.count < requiredDomains, replicas > 0 else {
            return Division(counts: result, unplaced: 0, notes: notes)
        }

        notes.append("only \(chosen.count) domains can hold all \(replicas) replicas, \(requiredDomains) needed")
        var unplaced = 0
        let fallbacks = ranked.filter { $0.capacity > 0 && $0.capacity < replicas }
        for index in 0..<(requiredDomains - chosen.count) {
            let count = index < fallbacks.count ? fallbacks[index].capacity : 0
            if index < fallbacks.count { result[fallbacks[index].domain] = count }
            unplaced += replicas - count
        }
        return Division(counts: result, unplaced: unplaced, notes: notes, meetsMinDomains: false)
    }

    /// Returns only the `replicas` slots that come first for a first replica, when no slot has
    /// seats or a minimum; otherwise all of them.
    ///
    /// With every slot empty, a slot behind `replicas` others can never win one of `replicas`
    /// replicas: each of those others has room for at least one and, while still empty, beats
    /// it. Leaving it out therefore changes no count, and the highest-averages loop then scans
    /// `replicas` slots per replica instead of every candidate.
    static func leadingSlots(_ slots: [DivisionSlot], replicas: Int) -> [DivisionSlot] {
        guard replicas >= 0, slots.count > replicas,
              slots.allSatisfy({ $0.seats == 0 && $0.minimum == 0 && $0.capacity > 0 }) else { return slots }
        var inOrder = true
        for index in slots.indices.dropFirst() where HighestAverages.precedes(slots[index], slots[index - 1]) {
            inOrder = false
            break
        }
        let ordered = inOrder ? slots : slots.sorted { HighestAverages.precedes($0, $1) }
        return Array(ordered.prefix(replicas))
    }

    private func counts(_ slots: [DivisionSlot]) -> [String: Int] {
        var result: [String: Int] = [:]
        result.reserveCapacity(slots.count)
        for slot in slots where slot.seats > 0 { result[slot.domain] = slot.seats }
        return result
    }
}
