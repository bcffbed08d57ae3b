import DRODSAuth
import DRODSCore
import DRODSTestSupport
import Foundation
import XCTest

/// The `drods` commands run as a user runs them, as a child process against a real control
/// plane, with the gateway address and token in DRODS_URL and DRODS_TOKEN.
final class CLICommandTests: XCTestCase {
    nonisolated(unsafe) private static var shared: TestControlPlane?
    nonisolated(unsafe) private static var startError: Error?
    private static let lock = NSLock()

    var plane: TestControlPlane!
    var environment: [String: String] {
        ["DRODS_URL": plane.gatewayURL, "DRODS_TOKEN": plane.token(.operator, subject: "cli"),
         "DRODS_KAFKA_BROKERS": plane.kafkaBrokers]
    }

    override func setUpWithError() throws {
        plane = try Self.lock.withLock {
            if let shared = Self.shared { return shared }
            if let startError = Self.startError { throw startError }
            do {
                let started = try TestControlPlane()
                Self.shared = started
                atexit { CLICommandTests.shared?.stop() }
                return started
            } catch {
                Self.startError = error
                throw error
            }
        }
    }

    // MARK: - apply and get

    func testApplyCreatesThenReportsUnchangedAndConfigured() throws {
        let name = unique("edge")
        let manifest = manifests(cluster: name, region: "us-east-1")
        let first = try drods(["apply", "-f", "-"], input: manifest)
        XCTAssertEqual(first.status, 0, first.error)
        XCTAssertEqual(first.output, """
            cluster/\(name) created
            propagationpolicy/\(name)-web created
            deployment/\(name)/shop created

            """)

        let again = try drods(["apply", "-f", "-"], input: manifest)
        XCTAssertEqual(again.status, 0, again.error)
        XCTAssertEqual(again.output, """
            cluster/\(name) unchanged
            propagationpolicy/\(name)-web unchanged
            deployment/\(name)/shop unchanged

            """)

        let moved = try drods(["apply", "-f", "-"], input: manifests(cluster: name, region: "eu-west-1"))
        XCTAssertEqual(moved.status, 0, moved.error)
        XCTAssertTrue(moved.output.hasPrefix("cluster/\(name) configured\n"), moved.output)
        let cluster = try plane.call("GET", "/api/v1/clusters/\(name)", token: plane.token(.viewer))
        XCTAssertEqual(cluster.json["region"]?.stringValue, "eu-west-1")
    }

    func testApplyOfChangedWorkloadNeedsDeleteFirst() throws {
        let name = unique("job")
        let job = { (parallelism: Int) in
            """
            {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "\(name)"},
             "spec": {"parallelism": \(parallelism), "template": {"spec": {"restartPolicy": "Never",
               "containers": [{"name": "train", "image": "busybox", "resources": {"requests": {"cpu": "1", "memory": "1Gi"}}}]}}}}
            """
        }
        let file = try temporaryFile(job(1))
        XCTAssertEqual(try drods(["apply", "-f", file]).output, "job/default/\(name) created\n")
        let changed = try drods(["apply", "-f", try temporaryFile(job(2))])
        XCTAssertEqual(changed.status, 1)
        XCTAssertTrue(changed.error.contains("job/default/\(name)"), changed.error)
        XCTAssertTrue(changed.error.contains("delete it first"), changed.error)
    }

    func testGetInEachFormat() throws {
        let name = unique("get")
        XCTAssertEqual(try drods(["apply", "-f", "-"], input: manifests(cluster: name, region: "us-east-1")).status, 0)

        let table = try drods(["get", "clusters"])
        XCTAssertEqual(table.status, 0, table.error)
        let lines = table.output.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first?.split(separator: " ", omittingEmptySubsequences: true),
                       ["NAME", "PROVIDER", "REGION", "STATUS", "AGE"])
        let row = try XCTUnwrap(lines.first { $0.hasPrefix(name + " ") }, table.output)
        XCTAssertEqual(row.split(separator: " ", omittingEmptySubsequences: true).prefix(4), [Substring(name), "aws", "us-east-1", "Pending"])
        XCTAssertTrue(row.hasSuffix("s"), "an age in seconds: \(row)")

        let wide = try drods(["get", "cluster", name, "-o", "wide"])
        XCTAssertTrue(wide.output.contains("https://\(name).k8s.example:6443"), wide.output)

        let json = try drods(["get", "clusters", name, "-o", "json"])
        let object = try WireJSON.decode(JSONValue.self, from: Data(json.output.utf8))
        XCTAssertEqual(object["name"]?.stringValue, name)
        XCTAssertNotNil(object["createdAt"]?.stringValue)

        let yaml = try drods(["get", "propagationpolicies", "-o", "yaml"])
        XCTAssertTrue(yaml.output.hasPrefix("count: "), yaml.output)
        XCTAssertTrue(yaml.output.contains("name: \(name)-web"), yaml.output)

        let workload = try drods(["get", "workloads", "\(name)/shop"])
        XCTAssertEqual(workload.status, 0, workload.error)
        XCTAssertTrue(workload.output.contains("\(name)   Deployment   shop   2"), workload.output)

        let missing = try drods(["get", "clusters", "no-such-cluster"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.error.contains("not found"), missing.error)
    }

    // MARK: - describe, history, watch

    func testDescribeExplainsPlacedBinding() throws {
        let cluster = try registerReportingCluster()
        let bindingID = try submitBinding(on: cluster)
        XCTAssertTrue(eventually { self.phase(of: bindingID) == "Scheduled" }, "never scheduled:\n\(plane.logs)")

        let described = try drods(["describe", "binding", bindingID])
        XCTAssertEqual(described.status, 0, described.error)
        XCTAssertTrue(described.output.contains("Phase:         Scheduled"), described.output)
        XCTAssertTrue(described.output.contains("  \(cluster)   3"), "placement row: \(described.output)")
        XCTAssertTrue(described.output.contains("Weights:     availability "), described.output)
        XCTAssertTrue(described.output.contains("    \(cluster)   "), "score row: \(described.output)")
        XCTAssertTrue(described.output.contains("BindingRequested"), described.output)
        XCTAssertTrue(described.output.contains("BindingScheduled"), described.output)

        let bindings = try drods(["get", "bindings", bindingID])
        XCTAssertTrue(bindings.output.contains("\(bindingID)   Scheduled   \(cluster)=3   0"), bindings.output)

        let history = try drods(["history", "schedules", "--since", "10m", "--max", "100000"])
        XCTAssertEqual(history.status, 0, history.error)
        let rows = history.output.split(separator: "\n").filter { $0.contains(bindingID) }
        // An unschedulable decision may come between them when the scheduler decides before
        // the cluster's load report has reached it.
        XCTAssertTrue(rows.first?.contains("BindingRequested") ?? false, "requested first: \(history.output)")
        XCTAssertTrue(rows.last?.contains("BindingScheduled") ?? false, "scheduled last: \(history.output)")

        let failures = try drods(["history", "failures", "-o", "json"])
        XCTAssertEqual(failures.status, 0, failures.error)
        XCTAssertNoThrow(try WireJSON.decode([JSONValue].self, from: Data(failures.output.utf8)))
    }

    func testHistoryFollowsCursor() throws {
        let cluster = try registerReportingCluster()
        for _ in 0..<2 { _ = try submitBinding(on: cluster) }
        let one = try drods(["history", "schedules", "--max", "1", "-o", "json"])
        XCTAssertEqual(try WireJSON.decode([JSONValue].self, from: Data(one.output.utf8)).count, 1)
        let all = try drods(["history", "schedules", "--max", "100000", "-o", "json"])
        let entries = try WireJSON.decode([JSONValue].self, from: Data(all.output.utf8))
        XCTAssertGreaterThanOrEqual(entries.count, 2)
        let seqs = entries.compactMap { $0["seq"]?.doubleValue }
        XCTAssertEqual(seqs, seqs.sorted(), "oldest first")
        XCTAssertEqual(Set(seqs).count, seqs.count, "no page read twice")
    }

    func testWatchPrintsDecisionAndStopsOnInterrupt() throws {
        let output = try temporaryFile("")
        let errors = try temporaryFile("")
        let watch = Process()
        watch.executableURL = ServiceUnderTest.productsDirectory().appendingPathComponent("drods")
        watch.arguments = ["watch"]
        watch.environment = environment
        watch.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        watch.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errors))
        try watch.run()
        defer { if watch.isRunning { kill(watch.processIdentifier, SIGKILL) } }
        XCTAssertTrue(eventually { self.contents(errors).contains("watching drods.events.binding") }, contents(errors))

        let cluster = try registerReportingCluster()
        let bindingID = try submitBinding(on: cluster)
        // The scheduler may decide before the cluster's load report reaches it; that first
        // decision is unschedulable, and the report then lets the binding in.
        func scheduledLine() -> Substring? {
            contents(output).split(separator: "\n").first { $0.contains(bindingID) && $0.contains("BindingScheduled") }
        }
        XCTAssertTrue(eventually { scheduledLine() != nil }, "no decision for \(bindingID): \(contents(output))")
        let line = scheduledLine() ?? ""
        XCTAssertTrue(line.contains("\(cluster)=3"), String(line))

        kill(watch.processIdentifier, SIGINT)
        XCTAssertTrue(eventually { !watch.isRunning }, "watch did not stop on SIGINT")
        XCTAssertEqual(watch.terminationStatus, 0, contents(errors))
    }

    // MARK: - errors

    func testUnreachableGatewayNamesURL() throws {
        let result = try drods(["get", "clusters", "--server", "http://127.0.0.1:9"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.error.contains("http://127.0.0.1:9"), result.error)
        XCTAssertTrue(result.error.contains("drods up"), result.error)
    }

    func testRejectedTokenExplainsHowToGetOne() throws {
        let bad = try drods(["get", "clusters", "--token", "not-a-jwt"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.error.contains("rejected the token"), bad.error)
        XCTAssertTrue(bad.error.contains("drods token"), bad.error)
        XCTAssertFalse(bad.error.contains("not-a-jwt"), "tokens are never printed")

        let missing = try drods(["get", "clusters"], environment: ["DRODS_TOKEN": ""])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.error.contains("no token"), missing.error)
    }

    func testViewerCannotApply() throws {
        let viewer = plane.token(.viewer)
        let result = try drods(["apply", "-f", "-", "--token", viewer],
                               input: manifests(cluster: unique("ro"), region: "us-east-1"))
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.error.contains("forbidden"), result.error)
        XCTAssertFalse(result.error.contains(viewer), "tokens are never printed")
    }

    func testValidationErrorsListEachField() throws {
        let result = try drods(["apply", "-f", "-"], input: "name: Not_Valid\nendpoint: ftp://x\n")
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.error.contains("\n  name: "), result.error)
        XCTAssertTrue(result.error.contains("\n  endpoint: "), result.error)
    }

    func testUsageErrorsExitWithTwo() throws {
        for arguments in [["get"], ["get", "pods"], ["apply"], ["history", "schedules", "--since", "soon"],
                          ["describe", "cluster", "x"], ["watch", "--kafka"]] {
            let result = try drods(arguments)
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.error)")
        }
    }

    // MARK: - Helpers

    func unique(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// Returns a cluster, a propagation policy for Deployments in the namespace named after the
    /// cluster, and a Deployment there, as one multi-document YAML file.
    func manifests(cluster: String, region: String) -> String {
        """
        name: \(cluster)
        endpoint: https://\(cluster).k8s.example:6443
        provider: aws
        region: \(region)
        ---
        name: \(cluster)-web
        resourceType: Deployment
        namespace: \(cluster)
        targetClusters: [\(cluster)]
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: shop
          namespace: \(cluster)
        spec:
          replicas: 2
          selector: {matchLabels: {app: shop}}
          template:
            metadata: {labels: {app: shop}}
            spec:
              containers:
                - name: shop
                  image: nginx:1.27
                  resources: {requests: {cpu: 100m, memory: 128Mi}}
        """
    }

    /// Registers a cluster and sends one load report for it as its agent, so that the
    /// scheduler places work on it.
    func registerReportingCluster() throws -> String {
        let name = unique("pool")
        let body = #"{"name": "\#(name)", "endpoint": "https://\#(name).k8s.example:6443", "region": "us-east-1"}"#
        XCTAssertEqual(try plane.call("POST", "/api/v1/clusters", token: plane.token(.admin), body: body).status, 201)
        let report = """
            {"cluster": "\(name)", "timestamp": "\(ISO8601DateFormatter().string(from: Date()))", "cpuUsage": 10,
             "memoryAvailable": 60, "cpuTotalMillis": 64000, "cpuUsedMillis": 6400,
             "memoryTotalBytes": \(256 << 30), "memoryUsedBytes": \(64 << 30),
             "gpuTotal": 0, "gpuUsed": 0, "podsTotal": 110, "podsUsed": 10,
             "largestFreeNode": {"cpuMillis": 8000, "memoryBytes": \(32 << 30), "gpu": 0}}
            """
        let agent = plane.token(.agent, subject: "agent-\(name)", cluster: name)
        XCTAssertEqual(try plane.call("PUT", "/api/v1/metrics", token: agent, body: report).status, 202)
        return name
    }

    func submitBinding(on cluster: String) throws -> String {
        let body = #"{"requirements": {"cpu": "1", "memory": "1Gi"}, "replicas": 3, "placement": {"targetClusters": ["\#(cluster)"]}}"#
        let accepted = try plane.call("POST", "/api/v1/bindings", token: plane.token(.operator), body: body)
        XCTAssertEqual(accepted.status, 202, "\(accepted.json)")
        return try XCTUnwrap(accepted.json["bindingId"]?.stringValue)
    }

    func phase(of bindingID: String) -> String? {
        (try? plane.call("GET", "/api/v1/bindings/\(bindingID)/status", token: plane.token(.viewer)))?.json["phase"]?.stringValue
    }

    /// Runs `drods` with the plane's address and an operator token, waits for it to exit and
    /// returns its exit status and output.
    func drods(_ arguments: [String], input: String? = nil, environment overrides: [String: String] = [:])
        throws -> (status: Int32, output: String, error: String) {
        let output = try temporaryFile("")
        let errors = try temporaryFile("")
        let process = Process()
        process.executableURL = ServiceUnderTest.productsDirectory().appendingPathComponent("drods")
        process.arguments = arguments
        process.environment = environment.merging(overrides) { _, new in new }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errors))
        process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: try temporaryFile(input ?? "")))
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, contents(output), contents(errors))
    }

    func temporaryFile(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "drods-cli-\(UUID().uuidString.prefix(8)).txt"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func contents(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    func eventually(seconds: Double = 30, _ condition: () -> Bool) -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while Date() < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return condition()
    }
}
