import DRODSCLI
import DRODSCore
import DRODSRuntime
import DRODSTestSupport
import Foundation
import XCTest

final class ServiceLifecycleTests: XCTestCase {
    static let executables = ["drods-history", "drods-controller", "drods-scheduler", "drods-monitor",
                              "drods-gateway"]

    func testEveryServiceStartsReadyAndStopsOnSigterm() throws {
        let environment = try serviceEnvironment()
        for executable in Self.executables {
            let service = try ServiceUnderTest(executable, environment: environment)
            XCTAssertTrue(service.waitUntilReady(), "\(executable) not ready:\n\(service.log)")

            service.signal(SIGTERM)
            XCTAssertTrue(service.waitForExit(timeout: 20), "\(executable) ignored SIGTERM:\n\(service.log)")
            XCTAssertEqual(service.exitStatus, 0, "\(executable):\n\(service.log)")
            XCTAssertTrue(service.log.contains("\"msg\":\"stopped\""), "\(executable) logged no stop:\n\(service.log)")
            for line in service.log.split(separator: "\n") where line.hasPrefix("{") {
                XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(line.utf8)),
                                 "\(executable) wrote a log line that is not JSON: \(line)")
            }
        }
    }

    func testServiceGivesUpWhenPostgresIsUnreachable() throws {
        var environment = try serviceEnvironment()
        environment["DRODS_POSTGRES_URL"] = "postgresql://postgres@127.0.0.1:\(try FreePort.find())/none?connect_timeout=1"
        environment["DRODS_STARTUP_ATTEMPTS"] = "2"
        environment["DRODS_STARTUP_RETRY_DELAY_S"] = "0.1"
        let service = try ServiceUnderTest("drods-controller", environment: environment)

        XCTAssertTrue(service.waitForExit(timeout: 30), service.log)
        XCTAssertEqual(service.exitStatus, 1)
        XCTAssertTrue(service.log.contains("waiting for PostgreSQL"), service.log)
        XCTAssertTrue(service.log.contains("unreachable after 2 attempts"), service.log)
    }

    func testSigtermWhileWaitingForDependenciesStopsPromptly() throws {
        var environment = try serviceEnvironment()
        environment["DRODS_POSTGRES_URL"] = "postgresql://postgres@127.0.0.1:\(try FreePort.find())/none?connect_timeout=1"
        environment["DRODS_STARTUP_ATTEMPTS"] = "1000"
        environment["DRODS_STARTUP_RETRY_DELAY_S"] = "5"
        let service = try ServiceUnderTest("drods-scheduler", environment: environment)
        XCTAssertTrue(waitFor { service.log.contains("waiting for PostgreSQL") }, service.log)

        service.signal(SIGTERM)
        XCTAssertTrue(service.waitForExit(timeout: 10), "still waiting after SIGTERM:\n\(service.log)")
        XCTAssertEqual(service.exitStatus, 0)
    }

    func testInvalidConfigurationIsReportedByName() throws {
        var environment = try serviceEnvironment()
        environment["DRODS_KAFKA_PARTITIONS"] = "zero"
        let service = try ServiceUnderTest("drods-monitor", environment: environment)
        XCTAssertTrue(service.waitForExit(timeout: 10))
        XCTAssertEqual(service.exitStatus, 2)
        XCTAssertTrue(service.log.contains("DRODS_KAFKA_PARTITIONS"), service.log)
    }
}

/// Variables that point a service at the test database and broker.
func serviceEnvironment() throws -> [String: String] {
    [
        "DRODS_POSTGRES_URL": try TestPostgres.freshDatabase(migrated: false),
        "DRODS_KAFKA_BROKERS": try TestBroker.fresh(),
        "DRODS_KAFKA_FETCH_WAIT_MAX_MS": "10",
        "DRODS_GATEWAY_HOST": "127.0.0.1",
        "DRODS_GATEWAY_PORT": "0",
        "DRODS_JWT_SECRET": TestControlPlane.jwtSecret,
        "DRODS_CREDENTIALS_KEY": TestControlPlane.credentialsKey,
        "DRODS_LOG_LEVEL": "info",
        "DRODS_STARTUP_ATTEMPTS": "20",
    ]
}

func waitFor(seconds: Double = 20, _ condition: () -> Bool) -> Bool {
    let deadline = Date(timeIntervalSinceNow: seconds)
    while Date() < deadline {
        if condition() { return true }
        Thread.sleep(forTimeInterval: 0.05)
    }
    return condition()
}

final class ReadinessOrderTests: XCTestCase {
    /// `/readyz` may report ready only once the service serves requests: for the gateway,
    /// once its API port is listening.
    func testGatewayIsReadyOnlyAfterItsAPIListens() throws {
        for _ in 0..<3 {
            var environment = try serviceEnvironment()
            let portFile = NSTemporaryDirectory() + "gateway-\(UUID().uuidString.prefix(8)).port"
            environment["DRODS_GATEWAY_PORT_FILE"] = portFile
            let service = try ServiceUnderTest("drods-gateway", environment: environment)
            XCTAssertTrue(service.waitUntilReady(), service.log)
            XCTAssertNotNil(PortFile.read(portFile), "ready before the API listened:\n\(service.log)")
            service.signal(SIGTERM)
            XCTAssertTrue(service.waitForExit(timeout: 20))
        }
    }
}
