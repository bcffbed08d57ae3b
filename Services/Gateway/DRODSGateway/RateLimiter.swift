import Foundation

/// Token buckets per client: each client may make `ratePerSecond` requests per second on
/// average and `burst` at once. The table keeps at most `maxClients` buckets. When it is
/// full, the buckets idle longest are dropped, which only forgives those clients' debt.
final class RateLimiter: @unchecked Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: UInt64
    }

    let ratePerSecond: Double
    let burst: Double
    private let maxClients: Int
    private let lock = NSLock()
    private var buckets: [String: Bucket] = [:]

    init(ratePerSecond: Double, burst: Double, maxClients: Int = 100_000) {
        self.ratePerSecond = ratePerSecond
        self.burst = max(1, burst)
        self.maxClients = maxClients
    }

    /// Takes one token for `client`; returns nil when allowed, else the seconds until a token
    /// is available.
    func acquire(_ client: String, now: UInt64 = DispatchTime.now().uptimeNanoseconds) -> Double? {
        guard ratePerSecond > 0 else { return nil }
        return lock.withLock {
            var bucket = buckets[client] ?? Bucket(tokens: burst, updated: now)
            let elapsed = Double(now &- bucket.updated) / 1e9
            bucket.tokens = min(burst, bucket.tokens + elapsed * ratePerSecond)
            bucket.updated = now
            defer {
                if buckets.count >= maxClients && buckets[client] == nil { evictIdle() }
                buckets[client] = bucket
            }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return (1 - bucket.tokens) / ratePerSecond
        }
    }

    private func evictIdle() {
        let oldest = buckets.sorted { $0.value.updated < $1.value.updated }.prefix(max(1, maxClients / 10))
        for (client, _) in oldest { buckets.removeValue(forKey: client) }
    }
}
