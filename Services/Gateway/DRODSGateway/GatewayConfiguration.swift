import DRODSAuth
import DRODSCore
import DRODSHTTP
import Foundation

/// Settings of the public API server, read from environment variables.
public struct GatewayConfiguration: Sendable {
    public var http: HTTPServerConfiguration
    /// File to write the bound API port to, for launchers that start the gateway on port 0.
    public var portFile: String?
    public var auth: AuthConfiguration
    /// Seconds a synchronous request waits for the owner's reply before it fails with `TIMEOUT`.
    public var commandTimeout: Double
    /// Seals member-cluster credentials before they leave the gateway.
    public var cipher: CredentialCipher
    /// Requests per second each token subject may make on average; 0 turns the limit off.
    public var rateLimitPerSecond: Double
    public var rateLimitBurst: Double

    public static func fromEnvironment(_ env: Environment) throws -> GatewayConfiguration {
        var http = HTTPServerConfiguration(
            host: env.string("DRODS_GATEWAY_HOST", default: "0.0.0.0"),
            port: try env.int("DRODS_GATEWAY_PORT", default: 8080, range: 0...65535),
            threadPoolSize: try env.int("DRODS_GATEWAY_THREADS", default: 8, range: 1...256),
            connectionTimeoutSeconds: try env.int("DRODS_GATEWAY_CONNECTION_TIMEOUT_S", default: 30,
                                                  range: 1...3600),
            maxBodyBytes: try env.int("DRODS_GATEWAY_MAX_BODY_BYTES", default: 1 << 20,
                                      range: 1024...(256 << 20)))
        let certificate = env.optionalString("DRODS_GATEWAY_TLS_CERT_FILE")
        let key = env.optionalString("DRODS_GATEWAY_TLS_KEY_FILE")
        switch (certificate, key) {
        case (nil, nil):
            break
        case (let certificate?, let key?):
            http.tlsCertificatePEM = try readFile(certificate, variable: "DRODS_GATEWAY_TLS_CERT_FILE")
            http.tlsPrivateKeyPEM = try readFile(key, variable: "DRODS_GATEWAY_TLS_KEY_FILE")
        default:
            throw ConfigurationError(variable: certificate == nil ? "DRODS_GATEWAY_TLS_CERT_FILE"
                                                                   : "DRODS_GATEWAY_TLS_KEY_FILE",
                                     message: "TLS needs both a certificate and a key file")
        }
        return GatewayConfiguration(
            http: http,
            portFile: env.optionalString("DRODS_GATEWAY_PORT_FILE"),
            auth: try AuthConfiguration.fromEnvironment(env),
            commandTimeout: try env.double("DRODS_COMMAND_TIMEOUT_S", default: 5, range: 0.1...300),
            cipher: try CredentialCipher.fromEnvironment(env),
            rateLimitPerSecond: try env.double("DRODS_GATEWAY_RATE_LIMIT_PER_S", default: 200, range: 0...1_000_000),
            rateLimitBurst: try env.double("DRODS_GATEWAY_RATE_LIMIT_BURST", default: 400, range: 1...1_000_000))
    }

    private static func readFile(_ path: String, variable: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(variable: variable, message: "cannot read \(path)")
        }
    }
}
