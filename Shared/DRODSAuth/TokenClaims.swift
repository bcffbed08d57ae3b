/// The claims of a DRO-DS access token. Times are seconds since the Unix epoch.
///
/// `aud` decodes from a string or an array of strings and encodes as a string when it has
/// one entry. Decoding accepts fractional times and rounds them down.
public struct TokenClaims: Codable, Sendable, Equatable {
    /// Subject: the user or agent the token was issued to.
    public var sub: String
    /// Issuer.
    public var iss: String
    /// Audiences the token is meant for.
    public var aud: [String]
    /// Expiry; the token is invalid from this second on.
    public var exp: Int64
    /// Not before; the token is invalid before this second.
    public var nbf: Int64?
    /// Issued at.
    public var iat: Int64?
    public var role: Role
    /// For agent tokens, the one cluster the agent may act for.
    public var cluster: String?
    /// Token id.
    public var jti: String?

    public init(sub: String, iss: String, aud: [String], exp: Int64, nbf: Int64? = nil,
                iat: Int64? = nil, role: Role, cluster: String? = nil, jti: String? = nil) {
        self.sub = sub
        self.iss = iss
        self.aud = aud
        self.exp = exp
        self.nbf = nbf
        self.iat = iat
        self.role = role
        self.cluster = cluster
        self.jti = jti
    }

    private enum CodingKeys: String, CodingKey {
        case sub, iss, aud, exp, nbf, iat, role, cluster, jti
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sub = try container.decode(String.self, forKey: .sub)
        iss = try container.decode(String.self, forKey: .iss)
        if let single = try? container.decode(String.self, forKey: .aud) {
            aud = [single]
        } else {
            aud = try container.decode([String].self, forKey: .aud)
        }
        exp = try Self.decodeTime(container, .exp)
        nbf = try container.contains(.nbf) ? Self.decodeTime(container, .nbf) : nil
        iat = try container.contains(.iat) ? Self.decodeTime(container, .iat) : nil
        role = try container.decode(Role.self, forKey: .role)
        cluster = try container.decodeIfPresent(String.self, forKey: .cluster)
        jti = try container.decodeIfPresent(String.self, forKey: .jti)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(sub, forKey: .sub)
        try container.encode(iss, forKey: .iss)
        if aud.count == 1 {
            try container.encode(aud[0], forKey: .aud)
        } else {
            try container.encode(aud, forKey: .aud)
        }
        try container.encode(exp, forKey: .exp)
        try container.encodeIfPresent(nbf, forKey: .nbf)
        try container.encodeIfPresent(iat, forKey: .iat)
        try container.encode(role, forKey: .role)
        try container.encodeIfPresent(cluster, forKey: .cluster)
        try container.encodeIfPresent(jti, forKey: .jti)
    }

    /// Decodes a NumericDate, which JSON may carry with a fraction.
    private static func decodeTime(_ container: KeyedDecodingContainer<CodingKeys>,
                                   _ key: CodingKeys) throws -> Int64 {
        let value = try container.decode(Double.self, forKey: key)
        guard value.isFinite, abs(value) < 1e15 else {
            throw DecodingError.dataCorruptedError(forKey: key, in: container,
                                                   debugDescription: "time out of range")
        }
        return Int64(value.rounded(.down))
    }
}
