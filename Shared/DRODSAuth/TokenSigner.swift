import DRODSCore
import Foundation

/// Mints DRO-DS access tokens with HS256 or RS256.
public struct TokenSigner: Sendable {
    private enum Key: Sendable {
        case secret([UInt8])
        case rsa(RSAKey)
    }

    public let algorithm: JWTAlgorithm
    public let issuer: String
    public let audience: String
    private let key: Key

    /// Creates an HS256 signer. The secret's UTF-8 bytes are the HMAC key; use at least 32.
    public init(hs256Secret: String, issuer: String = AuthConfiguration.defaultIssuer,
                audience: String = AuthConfiguration.defaultAudience) {
        algorithm = .hs256
        key = .secret(Array(hs256Secret.utf8))
        self.issuer = issuer
        self.audience = audience
    }

    /// Creates an RS256 signer. Throws `CryptoError` when the PEM is not an unencrypted RSA
    /// private key of at least 2048 bits.
    public init(rs256PrivateKeyPEM: String, issuer: String = AuthConfiguration.defaultIssuer,
                audience: String = AuthConfiguration.defaultAudience) throws {
        algorithm = .rs256
        key = .rsa(try RSAKey.privateKey(pem: rs256PrivateKeyPEM))
        self.issuer = issuer
        self.audience = audience
    }

    /// Creates a signer from `configuration`, with RS256 when it has a private key and HS256
    /// when it has a secret. Throws `ConfigurationError` when it has neither.
    public init(configuration: AuthConfiguration) throws {
        if let pem = configuration.rs256PrivateKeyPEM {
            try self.init(rs256PrivateKeyPEM: pem, issuer: configuration.issuer,
                          audience: configuration.audience)
        } else if let secret = configuration.hs256Secret, !secret.isEmpty {
            self.init(hs256Secret: secret, issuer: configuration.issuer,
                      audience: configuration.audience)
        } else {
            throw ConfigurationError(
                variable: "DRODS_JWT_PRIVATE_KEY_FILE",
                message: "signing tokens needs DRODS_JWT_PRIVATE_KEY_FILE (RS256) or "
                    + "DRODS_JWT_SECRET / DRODS_JWT_SECRET_FILE (HS256)")
        }
    }

    /// Mints a token for `subject` with `role`, valid from `now` for `lifetime` seconds, with
    /// this signer's issuer and audience and a random `jti`. Agent tokens need `cluster`, and
    /// without it this throws `AuthenticationError` with code `missingClaim`.
    public func sign(role: Role, subject: String, cluster: String? = nil,
                     lifetime: TimeInterval, now: Date = Date()) throws -> String {
        if role == .agent, cluster?.isEmpty ?? true {
            throw AuthenticationError(code: .missingClaim,
                                      message: "an agent token must name its cluster")
        }
        let issuedAt = Int64(now.timeIntervalSince1970.rounded(.down))
        let claims = TokenClaims(
            sub: subject, iss: issuer, aud: [audience],
            exp: issuedAt + Int64(lifetime.rounded(.up)), nbf: issuedAt, iat: issuedAt,
            role: role, cluster: cluster, jti: UUID().uuidString.lowercased())
        return try sign(claims)
    }

    /// Signs `claims` as they are, without checking them against this signer's issuer or
    /// audience.
    public func sign(_ claims: TokenClaims) throws -> String {
        try sign(payload: try WireJSON.encode(claims))
    }

    /// Signs raw JSON payload bytes.
    func sign(payload: Data) throws -> String {
        try JWT.encode(algorithm: algorithm, payload: payload) { input in
            switch key {
            case .secret(let secret): try HMACSHA256.authenticate(input, key: secret)
            case .rsa(let rsa): try rsa.sign(input)
            }
        }
    }
}
