/// The JWS signature algorithms DRO-DS accepts (RFC 7518 section 3.1).
public enum JWTAlgorithm: String, Sendable, CaseIterable {
    /// HMAC with SHA-256 and a shared secret.
    case hs256 = "HS256"
    /// RSASSA-PKCS1-v1_5 with SHA-256 and an RSA key pair.
    case rs256 = "RS256"
}
