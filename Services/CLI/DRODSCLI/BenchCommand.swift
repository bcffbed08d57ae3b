import DRODSCore
import Foundation

/// `drods bench <name>`: benchmarks that print their figures and end with one line of JSON.
enum BenchCommand {
    static func run(_ words: [String], logger: Logger) throws -> Int32 {
        guard let name = words.first else {
            throw UsageError("bench needs a benchmark name: eventlog, api, bindings, metrics, failover, scheduler or quality")
        }
        let rest = Array(words.dropFirst())
        // A load connection that the server closed fails its next write with EPIPE, and the
        // client reconnects. Without this, SIGPIPE would end the benchmark there and leave the
        // control plane it started running.
        signal(SIGPIPE, SIG_IGN)
        switch name {
        case "eventlog": return try EventLogBenchmark.run(rest, logger: logger)
        case "api": return try APIBenchmark.run(rest, logger: logger)
        case "bindings": return try BindingsBenchmark.run(rest, logger: logger)
        case "metrics": return try MetricsBenchmark.run(rest, logger: logger)
        case "failover": return try FailoverBenchmark.run(rest, logger: logger)
        case "scheduler": return try SchedulerBenchmark.run(rest, logger: logger)
        case "quality": return try QualityBenchmark.run(rest, logger: logger)
        default:
            throw UsageError("unknown benchmark \"\(name)\"; available: eventlog, api, bindings, metrics, failover, scheduler, quality")
        }
    }
}
