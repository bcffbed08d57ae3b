import DRODSAuth
import DRODSCore
import DRODSHTTP
import Foundation

/// `drods bench failover`: how long a failed member cluster's replicas take to run elsewhere.
/// Starts a private control plane with three simulated clusters and an agent each, and submits
/// a Deployment of `--replicas` replicas that a propagation policy spreads over them. Each of
/// `--runs` runs switches the cluster with the most replicas `down` and measures until the other
/// clusters report every replica ready and the placement has left the failed cluster. Then it
/// brings the cluster back and waits for its reports before the next run.
enum FailoverBenchmark {
    static let fleet = """
        latencyMs:
          us-east-1: {us-west-2: 65, eu-west-1: 75}
          us-west-2: {eu-west-1: 130}
        clusters:
          - {name: fo-east, provider: aws, region: us-east-1, zone: us-east-1a, pricePerHour: {vcpu: 0.05, memoryGB: 0.006},
             nodePools: [{instanceType: m6i.4xlarge, count: 4, cpu: 16, memory: 64Gi}]}
          - {name: fo-west, provider: aws, region: us-west-2, zone: us-west-2a, pricePerHour: {vcpu: 0.05, memoryGB: 0.006},
             nodePools: [{instanceType: m6i.4xlarge, count: 4, cpu: 16, memory: 64Gi}]}
          - {name: fo-euw, provider: aws, region: eu-west-1, zone: eu-west-1a, pricePerHour: {vcpu: 0.05, memoryGB: 0.006},
             nodePools: [{instanceType: m6i.4xlarge, count: 4, cpu: 16, memory: 64Gi}]}
        """

    static func run(_ words: [String], logger: Logger) throws -> Int32 {
        let arguments = try Arguments(words, valueOptions: ["runs", "replicas", "timeout"])
        let runs = try arguments.int("runs", default: 20, range: 1...1000)
        let replicas = try arguments.int("replicas", default: 6, range: 1...100)
        // The heartbeat timeout: the scheduler's report deadline and the monitor's timeout.
        let timeout = try arguments.int("timeout", default: 10, range: 1...600)

        let data = URL(fileURLWithPath: "/var/tmp/drods-failover-\(getpid())")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: data) }
        let fleetFile = data.appendingPathComponent("failover-fleet.yaml")
        try fleet.write(to: fleetFile, atomically: true, encoding: .utf8)

        let launcher = try Launcher.forBenchmark(environment: [
            "DRODS_SCHEDULER_REPORT_DEADLINE_S": String(timeout), "DRODS_MONITOR_HEARTBEAT_TIMEOUT_S": String(timeout),
        ]) { options in
            options.dataDirectory = data
            options.fleet = .file(fleetFile)
        }
        defer { launcher.shutdown() }
        print("starting a private control plane with 3 simulated clusters ...")
        let plane = try launcher.start()
        let simulatorPort = try String(contentsOf: data.appendingPathComponent("membersim.port"), encoding: .utf8)
            .split(whereSeparator: { $0 == " " || $0.isNewline }).first.flatMap { Int($0) } ?? 0
        let simulatorToken = try String(contentsOf: data.appendingPathComponent("membersim.admin"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let simulator = DemoClient(gatewayURL: plane.gatewayURL, operatorToken: plane.adminToken,
                                   simulatorURL: "http://127.0.0.1:\(simulatorPort)", simulatorToken: simulatorToken,
                                   replayStart: Date())
        let api = API(url: plane.gatewayURL, token: plane.adminToken)

        try api.send("POST", "/api/v1/propagationpolicies",
                     #"{"name": "failover", "resourceType": "Deployment", "targetClusters": [], "namespace": "failover"}"#)
        try api.send("POST", "/api/v1/workloads", #"{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "failover"}, "spec": {"replicas": \#(replicas), "selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "web", "image": "nginx", "resources": {"requests": {"cpu": "500m", "memory": "512Mi"}}}]}}}}"#)
        let status = "/api/v1/bindings/wl.deployment.failover.web/status"
        func allReady(avoiding failed: String?) -> Bool {
            guard let body = try? api.get(status), case .object(let members) = body["members"] ?? .null else { return false }
            if let failed, members[failed] != nil { return false }
            return Int(body["readyReplicas"]?.doubleValue ?? 0) == replicas
        }
        guard wait(seconds: 180, { allReady(avoiding: nil) }) else {
            throw LauncherError("the deployment never ran all \(replicas) replicas")
        }

        var durations: [Double] = []
        for run in 1...runs {
            guard let body = try? api.get(status), case .object(let placement) = body["placement"] ?? .null,
                  let victim = placement.max(by: { ($0.value.doubleValue ?? 0, $1.key) < ($1.value.doubleValue ?? 0, $0.key) })?.key else {
                throw LauncherError("the binding has no placement")
            }
            try simulator.setFault("down", cluster: victim)
            let started = MonotonicClock.nanoseconds()
            guard wait(seconds: Double(4 * timeout + 60), { allReady(avoiding: victim) }) else {
                throw LauncherError("run \(run): the replicas of \(victim) did not run elsewhere")
            }
            let seconds = MonotonicClock.seconds(since: started)
            durations.append(seconds * 1000)
            print(String(format: "run %d: %@ down, every replica ready elsewhere after %.1f s", run, victim, seconds))
            try simulator.setFault("none", cluster: victim)
            // Back in service before the next run, so every run starts with three clusters.
            guard wait(seconds: Double(2 * timeout + 30), { (try? api.clusterActive(victim)) == true }) else {
                throw LauncherError("run \(run): \(victim) did not report again")
            }
        }

        let p50 = Percentile.of(durations, 50) / 1000
        let p99 = Percentile.of(durations, 99) / 1000
        let bound = Double(2 * timeout + 5)
        print(String(format: "failover over %d runs: p50 %.1f s, p99 %.1f s (bound: two heartbeat timeouts plus 5 s = %.0f s)",
                     runs, p50, p99, bound))
        let summary: [String: JSONValue] = [
            "benchmark": .string("failover"), "runs": .number(Double(runs)), "replicas": .number(Double(replicas)),
            "heartbeat_timeout_s": .number(Double(timeout)), "bound_s": .number(bound),
            "p50_s": .number((p50 * 10).rounded() / 10), "p99_s": .number((p99 * 10).rounded() / 10),
        ]
        print(String(decoding: try WireJSON.encode(summary), as: UTF8.self))
        return p99 <= bound ? 0 : 1
    }

    private static func wait(seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while Date() < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return condition()
    }

    /// The few gateway calls the benchmark makes, as an admin.
    private struct API {
        let url: String
        let token: String
        let http = HTTPClient(defaultTimeout: 30)

        func send(_ method: String, _ path: String, _ body: String) throws {
            let response = try http.request(method: method, url: url + path, headers: [
                "Authorization": "Bearer \(token)", "Content-Type": "application/json",
            ], body: Data(body.utf8))
            guard (200..<300).contains(response.status) || response.status == 409 else {
                throw LauncherError("\(method) \(path) failed with HTTP \(response.status)")
            }
        }

        func get(_ path: String) throws -> JSONValue {
            let response = try http.request(url: url + path, headers: ["Authorization": "Bearer \(token)"])
            return try WireJSON.decode(JSONValue.self, from: response.body)
        }

        /// Tells whether the live view counts the cluster's last report as recent (active).
        func clusterActive(_ cluster: String) throws -> Bool {
            guard case .array(let clusters) = try get("/api/v1/monitor/realtime")["clusters"] ?? .null else { return false }
            return clusters.contains { $0["cluster"]?.stringValue == cluster && $0["active"] == .bool(true) }
        }
    }
}
