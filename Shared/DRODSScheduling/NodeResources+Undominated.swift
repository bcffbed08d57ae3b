import DRODSDomain

extension NodeResources {
    /// Returns the rooms that no other room covers in every dimension, each once, largest GPU
    /// room first. A replica fits one of the given rooms exactly when it fits one of these,
    /// so a domain can report a handful of rooms instead of every node.
    ///
    /// Quadratic in the number of distinct rooms; a domain's nodes have few distinct rooms.
    public static func undominated(_ rooms: [NodeResources]) -> [NodeResources] {
        let distinct = Set(rooms).sorted { ($0.gpu, $0.cpuMillis, $0.memoryBytes) > ($1.gpu, $1.cpuMillis, $1.memoryBytes) }
        var front: [NodeResources] = []
        for room in distinct where !front.contains(where: { $0.covers(room) }) {
            front.append(room)
        }
        return front
    }

    /// Tells whether this room is at least `other` in every dimension.
    func covers(_ other: NodeResources) -> Bool {
        cpuMillis >= other.cpuMillis && memoryBytes >= other.memoryBytes && gpu >= other.gpu
    }
}
