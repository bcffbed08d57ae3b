import DRODSCore
import Foundation

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
        // One thread per connection. `concurrentPerform` would run only as many at once as
        // there are cores, which on a small machine caps the load at two requests in flight.
        let finished = DispatchGroup()
        for _ in 0..<connections {
            finished.enter()
            Thread {
                defer { finished.leave() }
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
            }.start()
        }
        finished.wait()
        let elapsed = MonotonicClock.seconds(since: start)
        let values = latencies.values
        return FixedRateLoad(throughput: Double(values.count) / elapsed, p50: Percentile.of(values, 50),
                             p99: Percentile.of(values, 99), errors: failures.values.count, count: count)
    }
}
