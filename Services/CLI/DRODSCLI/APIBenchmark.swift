import DRODSCore
import Foundation

/// `drods bench api`: starts a private control plane, then drives its gateway at fixed rates.
/// Writes register `--clusters` clusters with synchronous `POST /api/v1/clusters` at
/// `--write-rate`; reads then list them with `GET /api/v1/clusters` at `--read-rate` for
/// `--seconds`. Latency runs from each request's scheduled start, so a slow response also
/// delays the ones queued behind it instead of hiding them.
enum APIBenchmark {
    static func run(_ words: [String], logger: Logger) throws -> Int32 {
        let arguments = try Arguments(words, valueOptions: [
            "clusters", "write-rate", "read-rate", "seconds", "connections", "warmup",
        ])
        let clusters = try arguments.int("clusters", default: 1000, range: 1...100_000)
        let writeRate = try arguments.int("write-rate", default: 200, range: 1...100_000)
        let readRate = try arguments.int("read-rate", default: 5000, range: 1...1_000_000)
        let seconds = try arguments.double("seconds", default: 10, range: 1...3600)
        let connections = try arguments.int("connections", default: 16, range: 1...256)
        let warmup = try arguments.int("warmup", default: 100, range: 0...100_000)

        let launcher = try Launcher.forBenchmark(environment: ["DRODS_GATEWAY_THREADS": "16"])
        defer { launcher.shutdown() }
        print("starting a private control plane ...")
        let plane = try launcher.start()
        let headers = ["Authorization": "Bearer \(plane.adminToken)", "Content-Type": "application/json"]

        // The first requests of a fresh control plane pay for connections, consumer group joins
        // and the producers' first send; a fixed schedule would carry that delay into every
        // later request, so they run unmeasured, one at a time, before the schedule starts.
        let runID = String(UUID().uuidString.prefix(6)).lowercased()
        if warmup > 0 {
            print("warming up: \(warmup) writes and reads, not measured")
            _ = try FixedRateLoad.run(port: launcher.gatewayPort, rate: 1_000_000, count: warmup,
                                      connections: 1) { index in
                let body = #"{"name": "warmup-\#(runID)-\#(index)", "endpoint": "https://warmup-\#(index).example:6443"}"#
                return ("POST", "/api/v1/clusters", headers, Data(body.utf8))
            }
            _ = try FixedRateLoad.run(port: launcher.gatewayPort, rate: 1_000_000, count: warmup,
                                      connections: connections) { _ in ("GET", "/api/v1/clusters", headers, nil) }
            // Removed again, so that the lists read below hold exactly `--clusters` clusters.
            _ = try FixedRateLoad.run(port: launcher.gatewayPort, rate: 1_000_000, count: warmup,
                                      connections: 1) { index in
                ("DELETE", "/api/v1/clusters/warmup-\(runID)-\(index)", headers, nil)
            }
        }

        print("writes: \(clusters) synchronous POST /api/v1/clusters at \(writeRate)/s over \(connections) connections")
        let writes = try FixedRateLoad.run(port: launcher.gatewayPort, rate: writeRate, count: clusters,
                                           connections: connections) { index in
            let body = #"{"name": "bench-\#(runID)-\#(index)", "endpoint": "https://bench-\#(index).example:6443", "region": "us-east-1", "capabilities": ["gpu"]}"#
            return ("POST", "/api/v1/clusters", headers, Data(body.utf8))
        }
        print(writes.summary(label: "writes"))

        let reads = Int(Double(readRate) * seconds)
        print("reads: GET /api/v1/clusters (\(clusters) clusters) at \(readRate)/s for \(Int(seconds)) s")
        let readLoad = try FixedRateLoad.run(port: launcher.gatewayPort, rate: readRate, count: reads,
                                             connections: connections) { _ in
            ("GET", "/api/v1/clusters", headers, nil)
        }
        print(readLoad.summary(label: "reads"))

        let summary: [String: JSONValue] = [
            "benchmark": .string("api"),
            "clusters": .number(Double(clusters)),
            "write_rate_target": .number(Double(writeRate)),
            "writes_per_s": .number(writes.throughput.rounded()),
            "write_p50_ms": .number(EventLogBenchmark.round2(writes.p50)),
            "write_p99_ms": .number(EventLogBenchmark.round2(writes.p99)),
            "write_errors": .number(Double(writes.errors)),
            "read_rate_target": .number(Double(readRate)),
            "reads_per_s": .number(readLoad.throughput.rounded()),
            "read_p50_ms": .number(EventLogBenchmark.round2(readLoad.p50)),
            "read_p99_ms": .number(EventLogBenchmark.round2(readLoad.p99)),
            "read_errors": .number(Double(readLoad.errors)),
        ]
        print(String(decoding: try WireJSON.encode(summary), as: UTF8.self))
        return writes.errors + readLoad.errors == 0 ? 0 : 1
    }
}
