import DRODSCore
import Foundation

/// `drods bench metrics`: metrics ingestion through the gateway. Starts a private control
/// plane and sends `PUT /api/v1/metrics` for `--domains` simulated clusters in turn at
/// `--rate` reports per second for `--seconds`, with an agent token per cluster as agents do.
/// Each report is validated, authorized and published to `drods.metrics.raw` before the
/// gateway replies 202. The monitor and the scheduler consume the topic behind it.
enum MetricsBenchmark {
    static func run(_ words: [String], logger: Logger) throws -> Int32 {
        let arguments = try Arguments(words, valueOptions: ["domains", "rate", "seconds", "connections"])
        let domains = try arguments.int("domains", default: 1000, range: 1...100_000)
        let rate = try arguments.int("rate", default: 5000, range: 1...1_000_000)
        let seconds = try arguments.double("seconds", default: 10, range: 1...3600)
        let connections = try arguments.int("connections", default: 1000, range: 1...4096)

        // Each report waits for Kafka's acknowledgement before its 202, but suspended, not on
        // a gateway thread, so the gateway's default 8 threads serve a thousand connections.
        // A short linger keeps the wait, and so each report's latency, low.
        let launcher = try Launcher.forBenchmark(environment: [
            "DRODS_GATEWAY_THREADS": ProcessInfo.processInfo.environment["DRODS_GATEWAY_THREADS"] ?? "8",
            "DRODS_KAFKA_LINGER_MS": ProcessInfo.processInfo.environment["DRODS_KAFKA_LINGER_MS"] ?? "1",
        ])
        defer { launcher.shutdown() }
        print("starting a private control plane ...")
        let plane = try launcher.start()
        let names = (0..<domains).map { "bench-domain-\($0)" }
        let tokens = try names.map { try plane.signer.sign(role: .agent, subject: "agent-\($0)", cluster: $0, lifetime: 3600) }

        let count = Int(Double(rate) * seconds)
        print("metrics: \(count) PUT /api/v1/metrics at \(rate)/s for \(domains) domains over \(connections) connections")
        let timestamp = ISO8601DateFormatter().string(from: Date())
        let load = try FixedRateLoad.run(port: launcher.gatewayPort, rate: rate, count: count,
                                         connections: connections) { index in
            let domain = index % domains
            let used = 8_000 + (index * 37) % 48_000
            let body = """
                {"cluster": "\(names[domain])", "timestamp": "\(timestamp)", "cpuUsage": \(Double(used) / 640),
                 "memoryAvailable": 200, "cpuTotalMillis": 64000, "cpuUsedMillis": \(used),
                 "memoryTotalBytes": \(256 << 30), "memoryUsedBytes": \(56 << 30), "podsTotal": 110, "podsUsed": 20}
                """
            return ("PUT", "/api/v1/metrics", ["Authorization": "Bearer \(tokens[domain])",
                                               "Content-Type": "application/json"], Data(body.utf8))
        }
        print(load.summary(label: "reports"))

        let summary: [String: JSONValue] = [
            "benchmark": .string("metrics"),
            "domains": .number(Double(domains)),
            "rate_target": .number(Double(rate)),
            "reports_per_s": .number(load.throughput.rounded()),
            "p50_ms": .number(EventLogBenchmark.round2(load.p50)),
            "p99_ms": .number(EventLogBenchmark.round2(load.p99)),
            "errors": .number(Double(load.errors)),
        ]
        print(String(decoding: try WireJSON.encode(summary), as: UTF8.self))
        return load.errors == 0 ? 0 : 1
    }
}
