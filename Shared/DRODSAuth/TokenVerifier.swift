import Foundation

/// Verifies DRO-DS access tokens: the algorithm, the signature, the time claims, issuer,
/// audience and role.
///
/// Each algorithm is tied to its own key. HS256 verifies only with the configured secret and
/// RS256 only with the public key, so a token cannot pick the key through its `alg` header.
/// For example, an HS256 token signed with the public key's PEM text as secret is rejected.
public struct TokenVerifier: Sendable {
    public let issuer: String
    public let audience: String
    /// Seconds of clock difference tolerated in `exp`, `nbf` and `iat`.
    public let leewaySeconds: Int
    private let secret: [UInt8]?
    private let publicKey: RSAKey?

    /// Creates a verifier that accepts HS256 when `hs256Secret` is set and RS256 when
    /// `rs256PublicKeyPEM` is set. Throws `CryptoError` when the PEM is not an RSA public key
    /// of at least 2048 bits, or when neither key is given.
    public init(hs256Secret: String? = nil, rs256PublicKeyPEM: String? = nil,
                issuer: String = AuthConfiguration.defaultIssuer,
                audience: String = AuthConfiguration.defaultAudience,
                leewaySeconds: Int = AuthConfiguration.defaultLeeway) throws {
        guard hs256Secret?.isEmpty == false || rs256PublicKeyPEM != nil else {
            throw CryptoError(message: "a token verifier needs an HS256 secret or an RS256 public key")
        }
        secret = hs256Secret.flatMap { $0.isEmpty ? nil : Array($0.utf8) }
        publicKey = try rs256PublicKeyPEM.map { try RSAKey.publicKey(pem: $0) }
        self.issuer = issuer
        self.audience = audience
        self.leewaySeconds = max(0, leewaySeconds)
    }

    /// Creates a verifier from the keys, issuer, audience and leeway of `configuration`.
    public init(configuration: AuthConfiguration) throws {
        try self.init(hs256Secret: configuration.hs256Secret,
                      rs256PublicKeyPEM: configuration.rs256PublicKeyPEM,
                      issuer: configuration.issuer, audience: configuration.audience,
                      leewaySeconds: configuration.leeway)
    }

    /// The algorithms this verifier has a key for.
    public var algorithms: [JWTAlgorithm] {
        JWTAlgorithm.allCases.filter { algorithm in
            switch algorithm {
            case .hs256: secret != nil
            case .rs256: publicKey != nil
            }
        }
    }

    /// Verifies the token in an `Authorization: Bearer <token>` header value.
    /// Throws `AuthenticationError` with code `missingToken` when the header is missing or
    /// uses another scheme, and the errors of `verify(_:now:)` otherwise.
    public func verify(authorizationHeader: String?, now: Date = Date()) throws -> TokenClaims {
        guard let header = authorizationHeader?.trimmingCharacters(in: .whitespaces) else {
            throw AuthenticationError(code: .missingToken,
                                      message: "the request has no Authorization header")
        }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw AuthenticationError(code: .missingToken,
                                      message: "the Authorization header is not of the form Bearer <token>")
        }
        return try verify(parts[1].trimmingCharacters(in: .whitespaces), now: now)
    }

    /// Verifies `token` and returns its claims. Throws `AuthenticationError`; the checks run in
    /// this order: shape, algorithm, signature, required claims, time, issuer, audience, role.
    public func verify(_ token: String, now: Date = Date()) throws -> TokenClaims {
        guard !token.isEmpty else {
            throw AuthenticationError(code: .missingToken, message: "the bearer token is empty")
        }
        let parts = try JWT.parse(token)
        try checkSignature(parts)

        let raw: RawClaims
        do {
            raw = try JSONDecoder().decode(RawClaims.self, from: parts.payload)
        } catch {
            throw AuthenticationError(code: .malformed,
                                      message: "the token payload is not a JSON object of valid claims")
        }
        return try validate(raw, now: Int64(now.timeIntervalSince1970.rounded(.down)))
    }

    /// Checks the time claims of claims this verifier returned before, against `now`; a
    /// cache of verified tokens calls it on every hit, because a token expires while cached.
    public func checkTime(of claims: TokenClaims, now: Date) throws {
        try checkTime(exp: claims.exp, nbf: claims.nbf, iat: claims.iat,
                      now: Int64(now.timeIntervalSince1970.rounded(.down)))
    }

    // MARK: - Steps

    private func checkTime(exp: Int64, nbf: Int64?, iat: Int64?, now: Int64) throws {
        let leeway = Int64(leewaySeconds)
        guard now < exp.addingReportingOverflow(leeway).partialValue else {
            throw AuthenticationError(code: .expired, message: "the token has expired")
        }
        if let nbf, now < nbf.subtractingReportingOverflow(leeway).partialValue {
            throw AuthenticationError(code: .notYetValid, message: "the token is not valid yet")
        }
        if let iat, now < iat.subtractingReportingOverflow(leeway).partialValue {
            throw AuthenticationError(code: .notYetValid, message: "the token was issued in the future")
        }
    }

    private func checkSignature(_ parts: JWT.Parts) throws {
        let accepted = algorithms.map(\.rawValue).joined(separator: ", ")
        switch JWTAlgorithm(rawValue: parts.header.alg) {
        case .hs256?:
            guard let secret else { break }
            let expected = try HMACSHA256.authenticate(parts.signingInput, key: secret)
            guard HMACSHA256.equal(expected, parts.signature) else {
                throw AuthenticationError(code: .badSignature, message: "the token signature is invalid")
            }
            return
        case .rs256?:
            guard let publicKey else { break }
            guard publicKey.verify(parts.signature, of: parts.signingInput) else {
                throw AuthenticationError(code: .badSignature, message: "the token signature is invalid")
            }
            return
        case nil:
            break
        }
        throw AuthenticationError(
            code: .unsupportedAlgorithm,
            message: "the token's signature algorithm is not accepted; use \(accepted)")
    }

    private func validate(_ raw: RawClaims, now: Int64) throws -> TokenClaims {
        guard let sub = raw.sub, !sub.isEmpty else {
            throw AuthenticationError(code: .missingClaim, message: "the token has no sub claim")
        }
        guard let exp = raw.exp else {
            throw AuthenticationError(code: .missingClaim, message: "the token has no exp claim")
        }

        try checkTime(exp: exp, nbf: raw.nbf, iat: raw.iat, now: now)

        guard raw.iss == issuer else {
            throw AuthenticationError(code: .wrongIssuer,
                                      message: "the token was not issued by \(issuer)")
        }
        guard let aud = raw.aud, aud.contains(audience) else {
            throw AuthenticationError(code: .wrongAudience,
                                      message: "the token is not meant for audience \(audience)")
        }

        guard let roleName = raw.role, let role = Role(rawValue: roleName) else {
            throw AuthenticationError(
                code: .invalidRole,
                message: "the token's role is missing or not one of admin, operator, viewer, agent")
        }
        let cluster = raw.cluster.flatMap { $0.isEmpty ? nil : $0 }
        if role == .agent, cluster == nil {
            throw AuthenticationError(code: .missingClaim,
                                      message: "an agent token must name its cluster")
        }
        return TokenClaims(sub: sub, iss: issuer, aud: aud, exp: exp, nbf: raw.nbf, iat: raw.iat,
                           role: role, cluster: cluster, jti: raw.jti)
    }
}

/// The payload with every claim optional and the role as text, so that a missing or unknown
/// value maps to its own error code instead of a generic decoding failure.
private struct RawClaims: Decodable {
    var sub: String?
    var iss: String?
    var aud: [String]?
    var exp: Int64?
    var nbf: Int64?
    var iat: Int64?
    var role: String?
    var cluster: String?
    var jti: String?

    private enum CodingKeys: String, CodingKey {
        case sub, iss, aud, exp, nbf, iat, role, cluster, jti
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sub = try container.decodeIfPresent(String.self, forKey: .sub)
        iss = try container.decodeIfPresent(String.self, forKey: .iss)
        if let single = try? container.decodeIfPresent(String.self, forKey: .aud) {
            aud = [single]
        } else {
            aud = try container.decodeIfPresent([String].self, forKey: .aud)
        }
        exp = try Self.time(container, .exp)
        nbf = try Self.time(container, .nbf)
        iat = try Self.time(container, .iat)
        role = try container.decodeIfPresent(String.self, forKey: .role)
        cluster = try container.decodeIfPresent(String.self, forKey: .cluster)
        jti = try container.decodeIfPresent(String.self, forKey: .jti)
    }

    /// Decodes a NumericDate, which may carry a fraction, rounded down to whole seconds.
    private static func time(_ container: KeyedDecodingContainer<CodingKeys>,
                             _ key: CodingKeys) throws -> Int64? {
        guard let value = try container.decodeIfPresent(Double.self, forKey: key) else {
            return nil
        }
        guard value.isFinite, abs(value) < 1e15 else {
            throw DecodingError.dataCorruptedError(forKey: key, in: container,
                                                   debugDescription: "time out of range")
        }
        return Int64(value.rounded(.down))
    }
}
