import DRODSCore
import DRODSMessaging
import Foundation

/// `drods bench bindings`: scheduling end to end. Starts a private control plane, registers
/// `--clusters` clusters with load reports, then sends `POST /api/v1/bindings` at `--rate` for
/// `--seconds` and measures, per binding, the time from the request's scheduled start to the
/// moment a Kafka consumer of `drods.events.binding` receives its decision.
///
/// Requests carry `X-Request-ID: <run>-<index>`; the `BindingRequested` event carries that id
/// as its correlation id, which ties each binding id back to its request.
enum BindingsBenchmark {
    static func run(_ words: [String], logger: Logger) throws -> Int32 {
        let arguments = try Arguments(words, valueOptions: ["clusters", "rate", "seconds", "connections"])
        let clusters = try arguments.int("clusters", default: 8, range: 1...1_000)
        let rate = try arguments.int("rate", default: 500, range: 1...100_000)
        let seconds = try arguments.double("seconds", default: 10, range: 1...600)
        let connections = try arguments.int("connections", default: 128, range: 1...256)

        // Each submission occupies a gateway thread until the scheduler's reply arrives, so the
        // gateway gets a thread per connection: at 1,000 requests/s and 100 ms each, 100 are
        // in flight. `DRODS_GATEWAY_THREADS` overrides that, forwarded here because the
        // launcher passes no DRODS_ variable of its own environment on.
        let threads = ProcessInfo.processInfo.environment["DRODS_GATEWAY_THREADS"] ?? String(connections)
        let launcher = try Launcher.forBenchmark(environment: ["DRODS_GATEWAY_THREADS": threads])
        defer { launcher.shutdown() }
        print("starting a private control plane ...")
        let plane = try launcher.start()
        let headers = ["Authorization": "Bearer \(plane.adminToken)", "Content-Type": "application/json"]
        let runID = String(UUID().uuidString.prefix(6)).lowercased()

        let names = (0..<clusters).map { "bench-\(runID)-\($0)" }
        try register(names, port: launcher.gatewayPort, headers: headers)
        let reporter = ReportLoop(names: names, port: launcher.gatewayPort, headers: headers)
        defer { reporter.stop() }

        let decisions = DecisionClock(runID: runID)
        let reader = try KafkaConsumer(
            configuration: KafkaConfiguration(brokers: plane.kafkaBrokers, clientID: "drods-bench-bindings",
                                              fetchWaitMaxMs: Launcher.developmentFetchWaitMs),
            readerOf: "drods.events.binding", startingAt: .end, logger: Logger(service: "bench", level: .warning))
        let stopReading = StopSignal()
        let readerThread = Thread {
            try? reader.run(stop: stopReading) { message in decisions.observe(message) }
        }
        readerThread.start()
        defer { stopReading.stop() }

        let count = Int(Double(rate) * seconds)
        print("bindings: \(count) POST /api/v1/bindings at \(rate)/s over \(connections) connections, "
              + "\(clusters) clusters")
        let start = MonotonicClock.nanoseconds()
        decisions.begin(at: start, rate: rate)
        // No target list: the private control plane has only the benchmark's clusters, and a
        // list of every name would make each request grow with `--clusters`.
        let body = Data(#"{"requirements": {"cpu": "100m", "memory": "128Mi"}, "replicas": 2}"#.utf8)
        let requests = try FixedRateLoad.run(port: launcher.gatewayPort, rate: rate, count: count,
                                             connections: connections) { index in
            var withID = headers
            withID["X-Request-ID"] = "\(runID)-\(index)"
            return ("POST", "/api/v1/bindings", withID, body)
        }
        print(requests.summary(label: "requests"))

        // Decisions still in flight when the last request returned get up to ten seconds.
        let deadline = MonotonicClock.nanoseconds() + 10_000_000_000
        while decisions.decidedCount < count - requests.errors && MonotonicClock.nanoseconds() < deadline {
            usleep(50_000)
        }
        let result = decisions.result(expected: count)
        print(String(format: "decisions: %d of %d seen on Kafka, %.0f/s, latency p50 %.2f ms, p99 %.2f ms",
                     result.decided, count, result.throughput, result.p50, result.p99))

        let summary: [String: JSONValue] = [
            "benchmark": .string("bindings"),
            "clusters": .number(Double(clusters)),
            "rate_target": .number(Double(rate)),
            "requests_per_s": .number(requests.throughput.rounded()),
            "request_errors": .number(Double(requests.errors)),
            "decisions": .number(Double(result.decided)),
            "decisions_per_s": .number(result.throughput.rounded()),
            "decision_p50_ms": .number(EventLogBenchmark.round2(result.p50)),
            "decision_p99_ms": .number(EventLogBenchmark.round2(result.p99)),
        ]
        print(String(decoding: try WireJSON.encode(summary), as: UTF8.self))
        return requests.errors == 0 && result.decided == count ? 0 : 1
    }

    private static func register(_ names: [String], port: Int, headers: [String: String]) throws {
        let connection = LoadConnection(port: port)
        for name in names {
            let body = #"{"name": "\#(name)", "endpoint": "https://\#(name).example:6443", "region": "us-east-1"}"#
            let response = try connection.send(method: "POST", path: "/api/v1/clusters", headers: headers,
                                               body: Data(body.utf8))
            guard response.status == 201 else {
                throw LauncherError("registering cluster \(name) failed with HTTP \(response.status)")
            }
        }
    }
}

/// Sends a load report for every benchmark cluster every 10 s, so that none goes stale while
/// the benchmark runs. Each cluster reports ample room: the benchmark measures the path, not
/// the fleet running full.
private final class ReportLoop: @unchecked Sendable {
    private let stopSignal = StopSignal()

    init(names: [String], port: Int, headers: [String: String]) {
        let stop = stopSignal
        let first = DispatchSemaphore(value: 0)
        Thread {
            let connection = LoadConnection(port: port)
            repeat {
                let now = ISO8601DateFormatter().string(from: Date())
                for name in names {
                    let report = """
                        {"cluster": "\(name)", "timestamp": "\(now)", "cpuUsage": 5, "memoryAvailable": 90,
                         "cpuTotalMillis": 100000000, "cpuUsedMillis": 1000, "memoryTotalBytes": \(1 << 50),
                         "memoryUsedBytes": \(1 << 30), "podsTotal": 10000000, "podsUsed": 10,
                         "largestFreeNode": {"cpuMillis": 64000, "memoryBytes": \(256 << 30), "gpu": 0}}
                        """
                    _ = try? connection.send(method: "PUT", path: "/api/v1/metrics", headers: headers,
                                             body: Data(report.utf8))
                }
                first.signal()
            } while !stop.wait(seconds: 10)
        }.start()
        first.wait()
        // The scheduler reads reports from Kafka; give the first round a moment to arrive.
        Thread.sleep(forTimeInterval: 1)
    }

    func stop() { stopSignal.stop() }
}

/// Matches decision events to the requests that caused them and times them.
private final class DecisionClock: @unchecked Sendable {
    private let runID: String
    private let lock = NSLock()
    private var start: UInt64 = 0
    private var interval = 0.0
    /// Request index by binding id, from `BindingRequested`.
    private var requestOf: [String: Int] = [:]
    /// Arrival of the first decision by binding id, for decisions seen before their request.
    private var early: [String: UInt64] = [:]
    private var latencies: [Double] = []
    private var decided: Set<String> = []
    private var lastArrival: UInt64 = 0

    init(runID: String) { self.runID = runID }

    func begin(at start: UInt64, rate: Int) {
        lock.withLock {
            self.start = start
            interval = 1e9 / Double(rate)
        }
    }

    var decidedCount: Int { lock.withLock { decided.count } }

    /// Reads the type from the event's header and the binding id from its key, so that only
    /// `BindingRequested`, for its correlation id, is decoded: decoding every decision's
    /// explanation would cost the load client more than the path it measures.
    func observe(_ message: KafkaMessage) {
        let now = MonotonicClock.nanoseconds()
        guard let type = message.headers[EventHeaders.eventType], let key = message.key,
              key.hasPrefix("binding-") else { return }
        let binding = String(key.dropFirst("binding-".count))
        var requestIndex: Int?
        if type == "BindingRequested" {
            guard let event = try? WireJSON.decode(JSONValue.self, from: message.value),
                  let correlation = event["metadata"]?["correlationID"]?.stringValue,
                  correlation.hasPrefix(runID + "-"), let index = Int(correlation.dropFirst(runID.count + 1))
            else { return }
            requestIndex = index
        }
        lock.withLock {
            switch type {
            case "BindingRequested":
                guard let index = requestIndex else { return }
                requestOf[binding] = index
                if let arrival = early.removeValue(forKey: binding) { record(binding, index: index, arrival: arrival) }
            case "BindingScheduled", "BindingUnschedulable":
                guard !decided.contains(binding) else { return }
                if let index = requestOf[binding] {
                    record(binding, index: index, arrival: now)
                } else if early[binding] == nil {
                    early[binding] = now
                }
            default:
                return
            }
        }
    }

    /// Call with `lock` held.
    private func record(_ binding: String, index: Int, arrival: UInt64) {
        decided.insert(binding)
        let due = start + UInt64(Double(index) * interval)
        latencies.append(Double(arrival &- due) / 1e6)
        lastArrival = max(lastArrival, arrival)
    }

    func result(expected: Int) -> (decided: Int, throughput: Double, p50: Double, p99: Double) {
        lock.withLock {
            let elapsed = Double(lastArrival &- start) / 1e9
            return (decided.count, elapsed > 0 ? Double(decided.count) / elapsed : 0,
                    Percentile.of(latencies, 50), Percentile.of(latencies, 99))
        }
    }
}
