/// A 64-bit FNV-1a hash that is the same in every process, unlike Swift's `Hasher`, which is
/// seeded per process. Ties between equal domains are broken by it, so a workload's leftovers
/// land on the same domain every time, while different workloads spread over domains.
public enum StableHash {
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// Returns the FNV-1a hash of `taskID`, a zero byte and `domain`, in UTF-8.
    public static func tieBreaker(taskID: String, domain: String) -> UInt64 {
        tieBreaker(prefix: prefix(taskID: taskID), domain: domain)
    }

    /// Returns the hash state after `taskID` and the zero byte, which every domain's
    /// tie-break of one task continues from.
    static func prefix(taskID: String) -> UInt64 {
        // The zero byte: XOR with 0 leaves the state, then the multiply.
        mix(offsetBasis, taskID) &* prime
    }

    /// Returns the tie-break of `domain` from a task's `prefix`.
    static func tieBreaker(prefix: UInt64, domain: String) -> UInt64 {
        mix(prefix, domain)
    }

    private static func mix(_ state: UInt64, _ text: String) -> UInt64 {
        var hash = state
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* prime
        }
        return hash
    }
}
