/// Hashes that stay the same across runs and platforms, unlike Swift's seeded `Hasher`, so that
/// noise and generated names repeat for the same seed.
enum StableHash {
    /// FNV-1a over the UTF-8 bytes of `text`, mixed with `seed`.
    static func hash(_ text: String, seed: UInt64 = 0) -> UInt64 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325 ^ mix(seed)
        for byte in text.utf8 {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01b3
        }
        return mix(value)
    }

    /// Maps a hash to a number uniformly spread over [0, 1).
    static func unitInterval(_ value: UInt64) -> Double {
        Double(value >> 11) / Double(UInt64(1) << 53)
    }

    /// Applies the SplitMix64 finalizer, which spreads nearby inputs over the whole 64-bit range.
    static func mix(_ input: UInt64) -> UInt64 {
        var z = input &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
