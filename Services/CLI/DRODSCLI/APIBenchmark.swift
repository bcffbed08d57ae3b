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
            "clusters", "write-rate", "read-rate", "seconds", "connections",
        ])
        let clusters = try arguments.int("clusters", default: 1000, range: 1...100_000)
        let writeRate = try arguments.int("write-rate", default: 200, range: 1...100_000)
        let readRate = try arguments.int("read-rate", default: 5000, range: 1...1_000_000)
        let seconds = try arguments.double("seconds", default: 10, range: 1...3600)
        let connections = try arguments.int("connections", default: 16, range: 1...256)

        var options = Launcher.Options()
        options.gatewayPort = try FreePort.find()
        options.logLevel = "warning"
        options.extraEnvironment = ["DRODS_GATEWAY_RATE_LIMIT_PER_S": "0", "DRODS_GATEWAY_THREADS": "16"]
        let launcher = Launcher(options: options, logger: Logger(service: "bench", level: .warning))
        defer { launcher.shutdown() }
        print("starting a private control plane ...")
        let plane = try launcher.start()
        let headers = ["Authorization": "Bearer \(plane.adminToken)", "Content-Type": "application/json"]

        print("writes: \(clusters) synchronous POST /api/v1/clusters at \(writeRate)/s over \(connections) connections")
        let runID = String(UUID().uuidString.prefix(6)).lowercased()
        let writes = try FixedRateLoad.run(port: options.gatewayPort, rate: writeRate, count: clusters,
                                           connections: connections) { index in
            let body = #"{"name": "bench-\#(runID)-\#(index)", "endpoint": "https://bench-\#(index).example:6443", "region": "us-east-1", "capabilities": ["gpu"]}"#
            return ("POST", "/api/v1/clusters", headers, Data(body.utf8))
        }
        print(writes.summary(label: "writes"))

        let reads = Int(Double(readRate) * seconds)
        print("reads: GET /api/v1/clusters (\(clusters) clusters) at \(readRate)/s for \(Int(seconds)) s")
        let readLoad = try FixedRateLoad.run(port: options.gatewayPort, rate: readRate, count: reads,
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

/// Requests sent on a fixed schedule from several keep-alive connections.
struct FixedRateLoad {
    var throughput: Double
    var p50: Double
    var p99: Double
    var errors: Int
    var count: Int

    func summary(label: String) -> String {
        String(format: "%@: %.0f requests/s, latency p50 %.2f ms, p99 %.2f ms, %d errors of %d",
               label, throughput, p50, p99, errors, count)
    }

    /// Sends `count` requests, request `i` due at `i / rate` seconds after the start; `make`
    /// builds request `i`. A status of 400 or above counts as an error.
    static func run(port: Int, rate: Int, count: Int, connections: Int,
                    make: @escaping @Sendable (Int) -> (String, String, [String: String], Data?)) throws -> FixedRateLoad {
        let latencies = LatencyRecorder()
        let failures = LatencyRecorder()
        let next = Counter()
        let interval = 1e9 / Double(rate)
        let start = MonotonicClock.nanoseconds()
        DispatchQueue.concurrentPerform(iterations: connections) { _ in
            let connection = LoadConnection(port: port)
            while true {
                let index = next.increment()
                guard index < count else { return }
                let due = start + UInt64(Double(index) * interval)
                let now = MonotonicClock.nanoseconds()
                if due > now { usleep(UInt32((due - now) / 1000)) }
                let (method, path, headers, body) = make(index)
                do {
                    let response = try connection.send(method: method, path: path, headers: headers, body: body)
                    if response.status >= 400 { failures.add(Double(response.status)) }
                } catch {
                    failures.add(0)
                }
                latencies.add(Double(MonotonicClock.nanoseconds() &- due) / 1e6)
            }
        }
        let elapsed = MonotonicClock.seconds(since: start)
        let values = latencies.values
        return FixedRateLoad(throughput: Double(values.count) / elapsed, p50: Percentile.of(values, 50),
                             p99: Percentile.of(values, 99), errors: failures.values.count, count: count)
    }
}
