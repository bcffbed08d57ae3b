import Foundation

/// Remembers the claims of tokens whose signature and claims checked out, so that a client
/// sending the same token on every request pays for the signature check and the JSON decoding
/// once. A hit still checks the time claims against the current time. Rejected tokens are
/// never cached.
///
/// The cache holds at most `capacity` tokens; when full it starts over empty, which costs each
/// active client one more full verification.
public final class VerifiedTokenCache: @unchecked Sendable {
    public let verifier: TokenVerifier
    private let capacity: Int
    private let lock = NSLock()
    private var claims: [String: TokenClaims] = [:]

    public init(verifier: TokenVerifier, capacity: Int = 10_000) {
        self.verifier = verifier
        self.capacity = max(1, capacity)
    }

    /// Verifies `token` as `TokenVerifier.verify` does. Throws `AuthenticationError`.
    public func verify(_ token: String, now: Date = Date()) throws -> TokenClaims {
        if let cached = lock.withLock({ claims[token] }) {
            try verifier.checkTime(of: cached, now: now)
            return cached
        }
        let verified = try verifier.verify(token, now: now)
        lock.withLock {
            if claims.count >= capacity { claims.removeAll(keepingCapacity: true) }
            claims[token] = verified
        }
        return verified
    }
}
