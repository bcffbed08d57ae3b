import DRODSScheduling

/// An event-driven replay of a pod trace against a fleet, in virtual time.
///
/// Pods arrive at `creationTime` and leave at `deletionTime`, one replica each. The strategy
/// picks a domain for each arrival, and the replay binds the pod to the best-fitting node of
/// that domain. A pod that the strategy rejects, or that no node of the chosen domain can
/// hold, is rejected and not retried. At equal times departures come first, so room freed at
/// an instant is available to pods arriving then. Pods whose deletion time is not after their
/// creation time occupy nothing and are left out.
public struct TraceReplay: Sendable {
    public var fleet: Fleet
    public var pods: [TracePod]

    public init(fleet: Fleet, pods: [TracePod]) {
        self.fleet = fleet
        self.pods = pods
    }

    /// Pods with a positive lifetime, the ones a replay places.
    public var replayedPods: [TracePod] { pods.filter { $0.deletionTime > $0.creationTime } }

    public func run(_ strategy: inout some PlacementStrategy) -> ReplayFigures {
        let pods = replayedPods
        var domains = fleet.domains.map(ReplayDomain.init)
        var snapshot = FleetSnapshot(domains: domains.map(\.snapshot), regionLatencyMs: fleet.regionLatencyMs)
        var bindings: [Int: (domain: Int, binding: ReplayBinding)] = [:]

        // Departures (kind 0) sort before arrivals (kind 1) at the same second.
        var events: [(time: Int64, kind: Int, pod: Int)] = []
        events.reserveCapacity(pods.count * 2)
        for (index, pod) in pods.enumerated() {
            events.append((pod.creationTime, 1, index))
            events.append((pod.deletionTime, 0, index))
        }
        events.sort { ($0.time, $0.kind, $0.pod) < ($1.time, $1.kind, $1.pod) }

        var figures = ReplayFigures(strategy: strategy.name, pods: pods.count, placed: 0, rejectedNoDomain: 0,
                                    rejectedNoNode: 0, maxWaterLevelMean: 0, maxWaterLevelP95: 0,
                                    waterLevelSpread: 0, replicasMoved: 0, costPerHour: 0)
        var maxLevel = TimeWeightedSeries()
        var spread = TimeWeightedSeries()
        var cost = TimeWeightedSeries()
        var previousTime = events.first?.time ?? 0
        // Figures cover the arrival window only: after the last arrival, the few long-lived
        // pods left would otherwise dominate every time-weighted figure with an idle fleet.
        let lastArrival = pods.map(\.creationTime).max() ?? 0

        for event in events {
            // The state since the previous event held until now.
            let seconds = Double(min(event.time, lastArrival) - previousTime)
            if event.time > previousTime {
                previousTime = event.time
            }
            if seconds > 0 {
                let levels = domains.map { $0.snapshot.waterLevel() }
                maxLevel.add(levels.max() ?? 0, for: seconds)
                spread.add(Self.standardDeviation(levels), for: seconds)
                cost.add(domains.reduce(0) { $0 + Self.pricePerHour(of: $1) }, for: seconds)
            }

            let pod = pods[event.pod]
            if event.kind == 0 {
                guard let placement = bindings.removeValue(forKey: event.pod) else { continue }
                domains[placement.domain].release(pod, from: placement.binding)
                snapshot.domains[placement.domain] = domains[placement.domain].snapshot
                continue
            }
            guard let chosen = strategy.chooseDomain(for: pod, domains: domains, fleet: snapshot) else {
                figures.rejectedNoDomain += 1
                continue
            }
            guard let binding = domains[chosen].place(pod) else {
                figures.rejectedNoNode += 1
                continue
            }
            snapshot.domains[chosen] = domains[chosen].snapshot
            bindings[event.pod] = (chosen, binding)
            figures.placed += 1
        }

        figures.maxWaterLevelMean = maxLevel.mean
        figures.maxWaterLevelP95 = maxLevel.percentile(0.95)
        figures.waterLevelSpread = spread.mean
        figures.costPerHour = cost.mean
        figures.replicasMoved = strategy.replicasMoved
        return figures
    }

    /// US dollars per hour for the CPU cores and GiB of memory in use.
    static func pricePerHour(of domain: ReplayDomain) -> Double {
        let cores = Double(domain.used.cpuMillis) / 1000
        let gibibytes = Double(domain.used.memoryBytes) / Double(1 << 30)
        return cores * domain.domain.pricePerVCPUHour + gibibytes * domain.domain.pricePerGBHour
    }

    static func standardDeviation(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let mean = values.reduce(0, +) / Double(values.count)
        return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot()
    }
}
