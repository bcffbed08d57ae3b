/// Replicas that a decision takes from one domain and gives to another. A nil `from` is a
/// scale-up and a nil `to` a scale-down.
public struct ReplicaMove: Equatable, Hashable, Sendable {
    public var from: String?
    public var to: String?
    public var replicas: Int

    public init(from: String?, to: String?, replicas: Int) {
        self.from = from
        self.to = to
        self.replicas = replicas
    }

    /// Returns the moves that turn `before` into `after`: removals are paired with additions in
    /// domain-name order, and what is left over becomes a scale-down or a scale-up.
    public static func changes(from before: [String: Int], to after: [String: Int]) -> [ReplicaMove] {
        if before.isEmpty {
            return after.keys.sorted().compactMap { name in
                let count = after[name] ?? 0
                return count > 0 ? ReplicaMove(from: nil, to: name, replicas: count) : nil
            }
        }
        let names = Set(before.keys).union(after.keys).sorted()
        var removals = names.compactMap { name -> (String, Int)? in
            let delta = (before[name] ?? 0) - (after[name] ?? 0)
            return delta > 0 ? (name, delta) : nil
        }
        var additions = names.compactMap { name -> (String, Int)? in
            let delta = (after[name] ?? 0) - (before[name] ?? 0)
            return delta > 0 ? (name, delta) : nil
        }

        var moves: [ReplicaMove] = []
        while let removal = removals.first, let addition = additions.first {
            let count = min(removal.1, addition.1)
            moves.append(ReplicaMove(from: removal.0, to: addition.0, replicas: count))
            removals[0].1 -= count
            additions[0].1 -= count
            if removals[0].1 == 0 { removals.removeFirst() }
            if additions[0].1 == 0 { additions.removeFirst() }
        }
        moves += removals.map { ReplicaMove(from: $0.0, to: nil, replicas: $0.1) }
        moves += additions.map { ReplicaMove(from: nil, to: $0.0, replicas: $0.1) }
        return moves
    }
}
