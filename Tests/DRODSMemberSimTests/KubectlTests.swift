import DRODSCore
import DRODSHTTP
import Foundation
import XCTest

/// Runs the real `kubectl` (Debian package `kubernetes-client`) against `drods-membersim`
/// started as a child process.
final class KubectlTests: XCTestCase {
    private static func productsDirectory() -> URL {
        let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        var url = URL(fileURLWithPath: path).deletingLastPathComponent()
        while url.pathExtension == "xctest" { url.deleteLastPathComponent() }
        return url
    }

    private static func kubectlPath() -> String? {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return directories.map { "\($0)/kubectl" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    private static func run(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    func testKubectlListsNodesAndDeployment() throws {
        let kubectl = try XCTUnwrap(Self.kubectlPath(),
                                    "kubectl is missing: run scripts/setup.sh or apt-get install -y kubernetes-client")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("membersim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let kubeconfig = directory.appendingPathComponent("kubeconfig").path

        let simulator = Process()
        simulator.executableURL = Self.productsDirectory().appendingPathComponent("drods-membersim")
        simulator.arguments = ["--fleet", FleetParserTests.exampleFleetPath, "--kubeconfig", kubeconfig,
                               "--pod-ready-seconds", "0", "--log-level", "warning"]
        let stdout = Pipe()
        simulator.standardOutput = stdout
        try simulator.run()
        defer {
            kill(simulator.processIdentifier, SIGTERM)
            simulator.waitUntilExit()
        }

        // The first line of standard output is "<http port> <https port>".
        let portLine = String(decoding: stdout.fileHandleForReading.availableData, as: UTF8.self)
        let ports = portLine.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        XCTAssertEqual(ports.count, 2, "unexpected port line \"\(portLine)\"")
        let context = "euw1-prod"

        let created = try Self.run(kubectl, ["--kubeconfig", kubeconfig, "--context", context,
                                             "create", "deployment", "checkout", "--image=nginx", "--replicas=2"])
        XCTAssertEqual(created.status, 0, created.output)

        let listed = try Self.run(kubectl, ["--kubeconfig", kubeconfig, "--context", context,
                                            "get", "nodes,deployments", "-A"])
        XCTAssertEqual(listed.status, 0, listed.output)
        for node in ["euw1-prod-m6i-xlarge-0", "euw1-prod-m6i-xlarge-1", "euw1-prod-r6i-2xlarge-0"] {
            XCTAssertTrue(listed.output.contains("node/\(node)"), "missing \(node) in:\n\(listed.output)")
        }
        XCTAssertTrue(listed.output.contains("deployment.apps/checkout"), listed.output)
        XCTAssertFalse(listed.output.contains("use1-prod"), "another cluster's nodes leaked:\n\(listed.output)")

        let scaled = try Self.run(kubectl, ["--kubeconfig", kubeconfig, "--context", context,
                                            "scale", "deployment", "checkout", "--replicas=3"])
        XCTAssertEqual(scaled.status, 0, scaled.output)
        let replicas = try Self.run(kubectl, ["--kubeconfig", kubeconfig, "--context", context, "get", "deployment",
                                              "checkout", "-o", "jsonpath={.spec.replicas}"])
        XCTAssertEqual(replicas.output, "3")
    }
}
