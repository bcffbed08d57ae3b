import DRODSCore
import Foundation

/// Keys and expectations for access tokens, read from the environment at start.
///
/// `description`, `debugDescription` and the mirror name which keys are set but never show
/// the secret or key text, so the value can be logged.
public struct AuthConfiguration: Sendable {
    public static let defaultIssuer = "drods"
    public static let defaultAudience = "drods-api"
    /// Default clock skew leeway in seconds.
    public static let defaultLeeway = 30
    /// Shortest HS256 secret accepted, in bytes: the output size of SHA-256.
    public static let minimumSecretBytes = 32

    /// HS256 shared secret; its UTF-8 bytes are the HMAC key.
    public var hs256Secret: String?
    /// RS256 public key (SubjectPublicKeyInfo PEM) for verifying.
    public var rs256PublicKeyPEM: String?
    /// RS256 private key (PEM) for signing.
    public var rs256PrivateKeyPEM: String?
    public var issuer: String
    public var audience: String
    /// Clock skew leeway in seconds.
    public var leeway: Int

    public init(hs256Secret: String? = nil, rs256PublicKeyPEM: String? = nil,
                rs256PrivateKeyPEM: String? = nil, issuer: String = defaultIssuer,
                audience: String = defaultAudience, leeway: Int = defaultLeeway) {
        self.hs256Secret = hs256Secret
        self.rs256PublicKeyPEM = rs256PublicKeyPEM
        self.rs256PrivateKeyPEM = rs256PrivateKeyPEM
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway
    }

    /// Reads the configuration from these variables:
    /// - `DRODS_JWT_SECRET` or `DRODS_JWT_SECRET_FILE`: HS256 secret of at least 32 bytes;
    ///   whitespace around the file's content is removed. Set at most one of the two.
    /// - `DRODS_JWT_PUBLIC_KEY_FILE`, `DRODS_JWT_PRIVATE_KEY_FILE`: RS256 PEM keys.
    /// - `DRODS_JWT_ISSUER` (default `drods`), `DRODS_JWT_AUDIENCE` (default `drods-api`).
    /// - `DRODS_JWT_LEEWAY_S`: clock skew leeway in seconds, 0 to 300 (default 30).
    ///
    /// Throws `ConfigurationError` naming the variable when a value is invalid, a file cannot
    /// be read, a key does not parse, or no key is set at all.
    public static func fromEnvironment(_ environment: Environment) throws -> AuthConfiguration {
        let secret = try readSecret(environment)
        let publicKey = try readKeyFile(environment, "DRODS_JWT_PUBLIC_KEY_FILE") {
            _ = try RSAKey.publicKey(pem: $0)
        }
        let privateKey = try readKeyFile(environment, "DRODS_JWT_PRIVATE_KEY_FILE") {
            _ = try RSAKey.privateKey(pem: $0)
        }
        guard secret != nil || publicKey != nil || privateKey != nil else {
            throw ConfigurationError(
                variable: "DRODS_JWT_SECRET",
                message: "no token key is configured; set DRODS_JWT_SECRET, "
                    + "DRODS_JWT_SECRET_FILE or DRODS_JWT_PUBLIC_KEY_FILE")
        }
        return AuthConfiguration(
            hs256Secret: secret, rs256PublicKeyPEM: publicKey, rs256PrivateKeyPEM: privateKey,
            issuer: environment.string("DRODS_JWT_ISSUER", default: defaultIssuer),
            audience: environment.string("DRODS_JWT_AUDIENCE", default: defaultAudience),
            leeway: try environment.int("DRODS_JWT_LEEWAY_S", default: defaultLeeway,
                                        range: 0...300))
    }

    // MARK: - Reading secrets

    private static func readSecret(_ environment: Environment) throws -> String? {
        let inline = environment.optionalString("DRODS_JWT_SECRET")
        let path = environment.optionalString("DRODS_JWT_SECRET_FILE")
        if inline != nil, path != nil {
            throw ConfigurationError(
                variable: "DRODS_JWT_SECRET",
                message: "both DRODS_JWT_SECRET and DRODS_JWT_SECRET_FILE are set; keep one")
        }
        let variable = inline != nil ? "DRODS_JWT_SECRET" : "DRODS_JWT_SECRET_FILE"
        var secret = inline
        if let path {
            secret = try readFile(path, variable: variable)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let secret else { return nil }
        guard secret.utf8.count >= minimumSecretBytes else {
            throw ConfigurationError(
                variable: variable,
                message: "the HS256 secret has \(secret.utf8.count) bytes but needs at least "
                    + "\(minimumSecretBytes); generate one with `openssl rand -hex 32`")
        }
        return secret
    }

    private static func readKeyFile(_ environment: Environment, _ variable: String,
                                    check: (String) throws -> Void) throws -> String? {
        guard let path = environment.optionalString(variable) else { return nil }
        let pem = try readFile(path, variable: variable)
        do {
            try check(pem)
        } catch let error as CryptoError {
            throw ConfigurationError(variable: variable, message: "\(path): \(error.message)")
        }
        return pem
    }

    private static func readFile(_ path: String, variable: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(
                variable: variable,
                message: "cannot read \(path) as UTF-8 text; check that it exists and is readable")
        }
    }
}

// MARK: - Redacted descriptions

extension AuthConfiguration: CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    public var description: String {
        var keys: [String] = []
        if hs256Secret != nil { keys.append("HS256 secret") }
        if rs256PublicKeyPEM != nil { keys.append("RS256 public key") }
        if rs256PrivateKeyPEM != nil { keys.append("RS256 private key") }
        return "AuthConfiguration(keys: \(keys.isEmpty ? "none" : keys.joined(separator: ", ")), "
            + "issuer: \(issuer), audience: \(audience), leeway: \(leeway) s)"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: [
            "hs256Secret": hs256Secret == nil ? "nil" : "<redacted>",
            "rs256PublicKeyPEM": rs256PublicKeyPEM == nil ? "nil" : "<set>",
            "rs256PrivateKeyPEM": rs256PrivateKeyPEM == nil ? "nil" : "<redacted>",
            "issuer": issuer, "audience": audience, "leeway": leeway,
        ])
    }
}
