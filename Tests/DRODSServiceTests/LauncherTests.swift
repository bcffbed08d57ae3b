import DRODSCLI
import DRODSCore
import DRODSHTTP
import DRODSTestSupport
import Foundation
import XCTest

final class LauncherTests: XCTestCase {
    /// `drods up --data-dir --fleet` brings up PostgreSQL, the broker and all five services,
    /// writes drods.env with a working admin token, starts the simulated member clusters with
    /// an agent each, and stops everything on SIGTERM.
    func testUpWritesEnvironmentFileAndStopsOnSigterm() throws {
        let data = URL(fileURLWithPath: "/var/tmp/drods-launcher-test-\(getpid())")
        try? FileManager.default.removeItem(at: data)
        defer { try? FileManager.default.removeItem(at: data) }
        let port = try FreePort.find()

        let output = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("up-\(getpid()).log")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        let up = Process()
        up.executableURL = ServiceUnderTest.productsDirectory().appendingPathComponent("drods")
        let fleet = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/MemberSim/example-fleet.yaml")
        up.arguments = ["up", "--data-dir", data.path, "--port", String(port), "--fleet", fleet.path]
        up.standardOutput = handle
        up.standardError = handle
        try up.run()
        defer { if up.isRunning { kill(up.processIdentifier, SIGKILL) } }
        let log = { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }

        let envFile = data.appendingPathComponent("drods.env")
        XCTAssertTrue(waitFor(seconds: 120) { log().contains("control plane is ready") || !up.isRunning }, log())
        XCTAssertTrue(up.isRunning, log())

        let variables = try Self.parse(envFile)
        XCTAssertEqual(variables["DRODS_URL"], "http://127.0.0.1:\(port)")
        XCTAssertNotNil(variables["DRODS_POSTGRES_URL"])
        XCTAssertNotNil(variables["DRODS_KAFKA_BROKERS"])
        let token = try XCTUnwrap(variables["DRODS_TOKEN"])
        let attributes = try FileManager.default.attributesOfItem(atPath: envFile.path)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600, "drods.env holds a token")

        let client = HTTPClient()
        let anonymous = try client.request(method: "GET", url: "http://127.0.0.1:\(port)/api/v1/clusters")
        XCTAssertEqual(anonymous.status, 401)
        let authorised = try client.request(method: "GET", url: "http://127.0.0.1:\(port)/api/v1/nothing-here",
                                            headers: ["Authorization": "Bearer \(token)"])
        XCTAssertEqual(authorised.status, 404)
        XCTAssertFalse(log().contains(token), "the token must not appear in the launcher's output")

        // The example fleet's four clusters are registered, and their agents report load.
        XCTAssertTrue(FileManager.default.fileExists(atPath: data.appendingPathComponent("members.kubeconfig").path))
        var live = JSONValue.null
        XCTAssertTrue(waitFor(seconds: 60) {
            let response = try? client.request(method: "GET", url: "http://127.0.0.1:\(port)/api/v1/monitor/realtime",
                                               headers: ["Authorization": "Bearer \(token)"])
            live = response.flatMap { try? WireJSON.decode(JSONValue.self, from: $0.body) } ?? .null
            return live["activeClusters"]?.doubleValue == 4
        }, "\(live)")

        kill(up.processIdentifier, SIGTERM)
        XCTAssertTrue(waitFor(seconds: 60) { !up.isRunning }, log())
        up.waitUntilExit()
        XCTAssertEqual(up.terminationStatus, 0, log())
        for service in ["gateway", "scheduler", "monitor", "controller", "history"] {
            XCTAssertTrue(log().contains("\"component\":\"\(service)\",\"exit.status\":\"0\""),
                          "\(service) did not stop cleanly:\n\(log())")
        }
    }

    /// Reads `NAME='value'` lines of a file `drods up` wrote.
    static func parse(_ url: URL) throws -> [String: String] {
        var variables: [String: String] = [:]
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
            guard !line.hasPrefix("#"), let equals = line.firstIndex(of: "=") else { continue }
            var value = String(line[line.index(after: equals)...])
            if value.hasPrefix("'") && value.hasSuffix("'") { value = String(value.dropFirst().dropLast()) }
            variables[String(line[..<equals])] = value
        }
        return variables
    }
}
