import DRODSAuth
import DRODSCLI
import DRODSCore
import DRODSHTTP
import DRODSRuntime
import Foundation

/// The five services run as child processes against the test database and broker, for tests
/// that use the API as a client would.
public final class TestControlPlane: @unchecked Sendable {
    public static let jwtSecret = "test-secret-of-at-least-thirty-two-bytes!"
    public static let credentialsKey = String(repeating: "5a", count: 32)

    public private(set) var gatewayURL = ""
    public let postgresURL: String
    public let kafkaBrokers: String
    /// The variables every service was started with, for starting more instances.
    public private(set) var environment: [String: String] = [:]
    public private(set) var services: [ServiceUnderTest] = []
    public let client = HTTPClient(defaultTimeout: 30)
    private let signer = TokenSigner(hs256Secret: jwtSecret)

    /// Starts every service and waits until each reports ready.
    public init(extraEnvironment: [String: String] = [:]) throws {
        postgresURL = try TestPostgres.freshDatabase(migrated: false)
        kafkaBrokers = try TestBroker.fresh()
        let gatewayPortFile = NSTemporaryDirectory() + "gateway-\(getpid())-\(UUID().uuidString.prefix(8)).port"
        var environment = [
            "DRODS_POSTGRES_URL": postgresURL,
            "DRODS_KAFKA_BROKERS": kafkaBrokers,
            "DRODS_KAFKA_FETCH_WAIT_MAX_MS": "10",
            "DRODS_GATEWAY_HOST": "127.0.0.1",
            "DRODS_GATEWAY_PORT": "0",
            "DRODS_GATEWAY_PORT_FILE": gatewayPortFile,
            "DRODS_JWT_SECRET": Self.jwtSecret,
            "DRODS_CREDENTIALS_KEY": Self.credentialsKey,
            "DRODS_LOG_LEVEL": "info",
            "DRODS_COMMAND_TIMEOUT_S": "20",
        ]
        environment.merge(extraEnvironment) { _, new in new }
        self.environment = environment
        for executable in ["drods-history", "drods-controller", "drods-scheduler", "drods-monitor", "drods-gateway"] {
            let service = try ServiceUnderTest(executable, environment: environment)
            services.append(service)
        }
        for service in services where !service.waitUntilReady(timeout: 90) {
            throw LauncherError("\(service.executable) did not become ready:\n\(service.log)")
        }
        guard let port = PortFile.read(gatewayPortFile) else {
            throw LauncherError("the gateway wrote no API port:\n\(services.last?.log ?? "")")
        }
        gatewayURL = "http://127.0.0.1:\(port)"
    }

    public func stop() {
        for service in services.reversed() {
            service.signal(SIGTERM)
            _ = service.waitForExit(timeout: 20)
        }
    }

    public func token(_ role: Role, subject: String? = nil, cluster: String? = nil) -> String {
        (try? signer.sign(role: role, subject: subject ?? "test-\(role.rawValue)", cluster: cluster, lifetime: 3600)) ?? ""
    }

    /// Sends one API call and returns the status, the body decoded as JSON (null when it is
    /// not JSON) and the headers.
    public func call(_ method: String, _ path: String, token: String?, body: String? = nil,
                     contentType: String = "application/json", requestID: String? = nil)
        throws -> (status: Int, json: JSONValue, headers: [String: String]) {
        var headers: [String: String] = [:]
        if let requestID { headers["X-Request-ID"] = requestID }
        if let token { headers["Authorization"] = "Bearer \(token)" }
        if body != nil { headers["Content-Type"] = contentType }
        let response = try client.request(method: method, url: gatewayURL + path, headers: headers,
                                          body: body.map { Data($0.utf8) })
        let json = (try? WireJSON.decode(JSONValue.self, from: response.body)) ?? .null
        return (response.status, json, response.headers)
    }

    /// The logs of every service, for failure messages.
    public var logs: String {
        services.map { "== \($0.executable)\n\($0.log.split(separator: "\n").suffix(30).joined(separator: "\n"))" }
            .joined(separator: "\n")
    }
}
