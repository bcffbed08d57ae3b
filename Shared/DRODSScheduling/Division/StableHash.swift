/// A 64-bit FNV-1a hash that is the same in every process, unlike Swift's `Hasher`, which is
/// seeded per process. Ties between equal domains are broken by it, so a workload's leftovers
/// land on the same domain every time, while different workloads spread over domains.
public enum StableHash {
    /// Returns the FNV-1a hash of `taskID`, a zero byte and `domain`, in UTF-8.
    public static func tieBreaker(taskID: String, domain: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        taskID.utf8.forEach(mix)
        mix(0)
        domain.utf8.forEach(mix)
        return hash
    }
}
