import DRODSCore
import DRODSFleetData
import DRODSScheduling
import Foundation

/// `drods bench quality`: replays the Alibaba GPU trace against a fleet built from the same
/// trace's nodes, once per placement strategy, and compares rejections, water levels and cost.
enum QualityBenchmark {
    static func run(_ words: [String], logger: Logger) throws -> Int32 {
        let arguments = try Arguments(words, valueOptions: ["data", "domains", "seed", "arrival-speedup"])
        guard arguments.positional.isEmpty else {
            throw UsageError("unexpected argument \(arguments.positional[0])")
        }
        let domainCount = try arguments.int("domains", default: 8, range: 1...32)
        let seed = UInt64(try arguments.int("seed", default: 1, range: 0...Int.max))
        let speedup = try arguments.int("arrival-speedup", default: 128, range: 1...100_000)
        var data = try arguments.options["data"].map { try FleetDataSet(directory: URL(fileURLWithPath: $0)) }
            ?? FleetDataSet.bundled()

        // The trace spreads its pods over about 150 days, so the fleet stays nearly empty.
        // Bringing arrivals closer while keeping each pod's lifetime raises the peak load the
        // same way for every strategy.
        data.pods = data.pods.map { pod in
            var compressed = pod
            compressed.creationTime = pod.creationTime / Int64(speedup)
            compressed.deletionTime = compressed.creationTime + (pod.deletionTime - pod.creationTime)
            return compressed
        }
        let fleet = try FleetBuilder(domainCount: domainCount, seed: seed).build(data)
        let replay = TraceReplay(fleet: fleet, pods: data.pods)
        print("quality benchmark: \(replay.replayedPods.count) of \(data.pods.count) pods "
              + "(those with a positive lifetime)"
              + (speedup > 1 ? ", arrivals \(speedup) times closer," : "") + " over \(data.nodes.count) nodes in \(domainCount) domains")
        for domain in fleet.domains {
            let total = domain.total
            print("  " + domain.name.padding(toLength: 22, withPad: " ", startingAt: 0) + String(format: "%4d nodes, %6d cores, %5d GPUs, $%.5f/vCPU-h, $%.6f/GB-h",
                         domain.nodes.count, total.cpuMillis / 1000, total.gpu / 1000,
                         domain.pricePerVCPUHour, domain.pricePerGBHour))
        }

        var drods = SchedulerStrategy()
        var staticWeights = StaticWeightStrategy()
        var availableReplicas = AvailableReplicasStrategy()
        var roundRobin = RoundRobinStrategy()
        let results = [
            replay.run(&drods), replay.run(&staticWeights), replay.run(&availableReplicas), replay.run(&roundRobin),
        ]
        printTable(results)

        // Written by hand so the strategies and keys keep the documented order.
        let entries = results.map { figures in
            "\"\(figures.strategy)\":{\"rejected\":\(figures.rejected),"
                + "\"max_water_level_mean\":\(format(figures.maxWaterLevelMean, digits: 4)),"
                + "\"max_water_level_p95\":\(format(figures.maxWaterLevelP95, digits: 4)),"
                + "\"water_level_spread\":\(format(figures.waterLevelSpread, digits: 4)),"
                + "\"replicas_moved\":\(figures.replicasMoved),"
                + "\"cost_per_hour\":\(format(figures.costPerHour, digits: 2))}"
        }
        print("{\"benchmark\":\"quality\",\"strategies\":{\(entries.joined(separator: ","))}}")
        return 0
    }

    static func printTable(_ results: [ReplayFigures]) {
        func row(_ label: String, _ value: (ReplayFigures) -> String) {
            let cells = results.map { value($0).padding(toLength: 20, withPad: " ", startingAt: 0) }
            print(label.padding(toLength: 30, withPad: " ", startingAt: 0) + cells.joined())
        }
        row("", { $0.strategy })
        row("placed", { String($0.placed) })
        row("rejected", { String($0.rejected) })
        row("  no domain chosen", { String($0.rejectedNoDomain) })
        row("  no node in chosen domain", { String($0.rejectedNoNode) })
        row("max water level, mean", { format($0.maxWaterLevelMean, digits: 4) })
        row("max water level, p95", { format($0.maxWaterLevelP95, digits: 4) })
        row("water level spread (mean sd)", { format($0.waterLevelSpread, digits: 4) })
        row("replicas moved", { String($0.replicasMoved) })
        row("cost, USD per hour", { format($0.costPerHour, digits: 2) })
    }

    static func format(_ value: Double, digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }
}
