import DRODSCore
import DRODSScheduling
import Foundation

/// `drods bench scheduler`: decisions per second and decision latency of `Scheduler.decide`
/// on one thread, against synthetic fleets of 100, 1,000 and 5,000 domains. Every decision
/// runs against the same fleet snapshot, so the fleet does not fill up during the run.
enum SchedulerBenchmark {
    static let domainCounts = [100, 1_000, 5_000]

    struct Figures {
        var domains: Int
        var decisionsPerSecond: Double
        var p50Milliseconds: Double
        var p99Milliseconds: Double
        /// FNV-1a hash of every decision's outcome and assignments, to check that a change to
        /// the scheduler leaves its results unchanged.
        var digest: UInt64
    }

    static func run(_ words: [String], logger: Logger) throws -> Int32 {
        let arguments = try Arguments(words, valueOptions: ["decisions", "tasks", "seed", "domains"])
        guard arguments.positional.isEmpty else {
            throw UsageError("unexpected argument \(arguments.positional[0])")
        }
        let decisions = try arguments.int("decisions", default: 2_000, range: 1...10_000_000)
        let taskCount = try arguments.int("tasks", default: 200, range: 1...100_000)
        let seed = UInt64(try arguments.int("seed", default: 1, range: 0...Int.max))
        // One fleet size instead of all three, for profiling.
        let sizes = arguments.options["domains"] == nil
            ? domainCounts : [try arguments.int("domains", default: 1_000, range: 1...100_000)]

        print("scheduler benchmark: \(decisions) decisions per fleet over \(taskCount) distinct tasks, "
              + "one thread, seed \(seed)")
        var results: [Figures] = []
        for count in sizes {
            let figures = measure(domains: count, decisions: decisions, taskCount: taskCount, seed: seed)
            print(String(format: "%5d domains: %8.0f decisions/s, p50 %.3f ms, p99 %.3f ms, digest %016llx",
                         figures.domains, figures.decisionsPerSecond, figures.p50Milliseconds,
                         figures.p99Milliseconds, figures.digest))
            results.append(figures)
        }

        // Written by hand so the keys keep the documented order.
        let entries = results.map { figures in
            "{\"domains\":\(figures.domains),\"decisions_per_s\":\(Int(figures.decisionsPerSecond.rounded())),"
                + "\"p50_ms\":\(formatted(figures.p50Milliseconds)),\"p99_ms\":\(formatted(figures.p99Milliseconds))}"
        }
        print("{\"benchmark\":\"scheduler\",\"results\":[\(entries.joined(separator: ","))]}")
        return 0
    }

    static func measure(domains: Int, decisions: Int, taskCount: Int, seed: UInt64) -> Figures {
        var generator = SyntheticFleet(seed: seed)
        let fleet = generator.fleet(domainCount: domains)
        let tasks = (0..<taskCount).map { generator.task(index: $0) }
        let configuration = SchedulerConfiguration()

        // One pass over the distinct tasks warms caches and the allocator, and yields the digest.
        var digest = Fnv1a()
        for task in tasks {
            digest.add(Scheduler.decide(task, fleet: fleet, configuration: configuration))
        }

        var latencies: [UInt64] = []
        latencies.reserveCapacity(decisions)
        let start = DispatchTime.now().uptimeNanoseconds
        for index in 0..<decisions {
            let task = tasks[index % tasks.count]
            let before = DispatchTime.now().uptimeNanoseconds
            let decision = Scheduler.decide(task, fleet: fleet, configuration: configuration)
            latencies.append(DispatchTime.now().uptimeNanoseconds - before)
            // Keeps the optimiser from dropping a decision nobody reads.
            if decision.taskID.isEmpty { print("empty task id") }
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9

        latencies.sort()
        return Figures(domains: domains, decisionsPerSecond: Double(decisions) / elapsed,
                       p50Milliseconds: percentile(latencies, 0.50), p99Milliseconds: percentile(latencies, 0.99),
                       digest: digest.value)
    }

    /// Returns the nearest-rank percentile of sorted nanosecond samples, in milliseconds.
    static func percentile(_ sorted: [UInt64], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = min(sorted.count - 1, max(0, Int((fraction * Double(sorted.count)).rounded(.up)) - 1))
        return Double(sorted[rank]) / 1e6
    }

    static func formatted(_ milliseconds: Double) -> String {
        String(format: "%.3f", milliseconds)
    }
}

/// 64-bit FNV-1a over the parts of decisions that matter to callers.
struct Fnv1a {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ decision: Decision) {
        add(decision.outcome.rawValue)
        for (name, count) in decision.assignments.sorted(by: { $0.key < $1.key }) {
            add(name)
            add(String(count))
        }
        add(String(decision.pendingReplicas))
        for score in decision.scores { add(score.domain) }
    }

    mutating func add(_ text: String) {
        for byte in text.utf8 {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01b3
        }
        value ^= 0xff
        value = value &* 0x0000_0100_0000_01b3
    }
}
