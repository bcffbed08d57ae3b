import DRODSDomain
@testable import DRODSScheduler
import DRODSScheduling
import XCTest

/// The scheduler's view keeps one snapshot current between decisions. Each test replays the
/// same changes into a view whose snapshot is taken only at the end, which builds it from
/// scratch, and the two must agree.
final class FleetViewTests: XCTestCase {
    private let start = Date(timeIntervalSince1970: 1_800_000_000)
    private let gibibyte: Int64 = 1 << 30

    private func cluster(_ name: String) -> Cluster {
        Cluster(name: name, endpoint: "https://\(name).example:6443", capabilities: ["gpu"], region: "eu-west-1")
    }

    private func report(_ name: String, at time: Date, usedCores: Int64) -> MetricsReport {
        var report = MetricsReport(cluster: name, timestamp: time, cpuUsage: 10, memoryAvailable: 100)
        report.cpuTotalMillis = 64_000
        report.cpuUsedMillis = usedCores * 1_000
        report.memoryTotalBytes = 256 * gibibyte
        report.memoryUsedBytes = 32 * gibibyte
        report.podsTotal = 110
        report.podsUsed = 10
        report.largestFreeNode = NodeResources(cpuMillis: 16_000, memoryBytes: 64 * gibibyte)
        report.freeNodes = [NodeResources(cpuMillis: 16_000, memoryBytes: 64 * gibibyte)]
        return report
    }

    private func reservation(_ domain: String, cores: Int64) -> Reservation {
        Reservation(domain: domain, replicas: 1,
                    resources: ResourceVector(cpuMillis: cores * 1_000, memoryBytes: gibibyte, pods: 1))
    }

    /// Applies the same step to a view that caches its snapshot and to one that does not yet
    /// have one, then compares the cached snapshot with one built from scratch.
    private func check(_ views: (cached: FleetView, fresh: () -> FleetView), at time: Date,
                       _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        let cached = views.cached.snapshot(now: time)
        let rebuilt = views.fresh().snapshot(now: time)
        XCTAssertEqual(cached, rebuilt, message, file: file, line: line)
    }

    func testCachedSnapshotFollowsEveryChange() {
        var steps: [(FleetView) -> Void] = []
        func apply(_ step: @escaping (FleetView) -> Void, to view: FleetView) {
            steps.append(step)
            step(view)
        }
        let view = FleetView(reportDeadline: 60)
        let replay = { () -> FleetView in
            let fresh = FleetView(reportDeadline: 60)
            for step in steps { step(fresh) }
            return fresh
        }
        for name in ["a", "b", "c"] { apply({ $0.setCluster(self.cluster(name), name: name) }, to: view) }
        for (index, name) in ["a", "b", "c"].enumerated() {
            apply({ $0.record(self.report(name, at: self.start, usedCores: Int64(8 * index))) }, to: view)
        }
        check((view, replay), at: start.addingTimeInterval(1), "after the first reports")

        let layout = view.layoutChangeCount(now: start.addingTimeInterval(1))
        apply({ $0.reserve([self.reservation("a", cores: 4), self.reservation("b", cores: 2)],
                           for: "binding-1", at: self.start.addingTimeInterval(2)) }, to: view)
        check((view, replay), at: start.addingTimeInterval(2), "after a reservation")
        XCTAssertEqual(view.layoutChangeCount(now: start.addingTimeInterval(2)), layout, "a reservation moves nothing")
        XCTAssertEqual(view.snapshot(now: start.addingTimeInterval(2)).domain(named: "a")?.reserved.cpuMillis, 4_000)
        XCTAssertEqual(view.snapshot(now: start.addingTimeInterval(2)).domain(named: "a")?.freeNodes, [],
                       "rooms from before a reservation no longer count")

        apply({ $0.record(self.report("a", at: self.start.addingTimeInterval(3), usedCores: 20)) }, to: view)
        check((view, replay), at: start.addingTimeInterval(3), "after a report that includes the reservation")
        XCTAssertEqual(view.snapshot(now: start.addingTimeInterval(3)).domain(named: "a")?.reserved, ResourceVector())

        apply({ $0.release(binding: "binding-1") }, to: view)
        check((view, replay), at: start.addingTimeInterval(4), "after a release")

        XCTAssertEqual(view.layoutChangeCount(now: start.addingTimeInterval(4)), layout, "same totals, same health")
        apply({ $0.setCluster(self.cluster("d"), name: "d") }, to: view)
        apply({ $0.setCluster(self.cluster("aa"), name: "aa") }, to: view)
        check((view, replay), at: start.addingTimeInterval(5), "after registrations")
        XCTAssertEqual(view.snapshot(now: start.addingTimeInterval(5)).domains.map(\.name), ["a", "aa", "b", "c", "d"])
        XCTAssertEqual(view.layoutChangeCount(now: start.addingTimeInterval(5)), layout + 2)
        apply({ $0.setCluster(nil, name: "aa") }, to: view)
        check((view, replay), at: start.addingTimeInterval(5), "after a removal")
        XCTAssertEqual(view.layoutChangeCount(now: start.addingTimeInterval(5)), layout + 3)

        var heartbeat = cluster("b")
        heartbeat.status = ClusterStatus(phase: .ready, lastHeartbeat: start.addingTimeInterval(5))
        apply({ $0.setCluster(heartbeat, name: "b") }, to: view)
        check((view, replay), at: start.addingTimeInterval(6), "after a status change")
        XCTAssertEqual(view.layoutChangeCount(now: start.addingTimeInterval(6)), layout + 3, "a heartbeat moves nothing")
        var relabelled = cluster("c")
        relabelled.labels = ["tier": "gold"]
        apply({ $0.setCluster(relabelled, name: "c") }, to: view)
        check((view, replay), at: start.addingTimeInterval(6), "after new labels")
        XCTAssertEqual(view.snapshot(now: start.addingTimeInterval(6)).domain(named: "c")?.labels, ["tier": "gold"])
        XCTAssertEqual(view.layoutChangeCount(now: start.addingTimeInterval(6)), layout + 4)
        apply({ $0.record(self.report("c", at: self.start.addingTimeInterval(6), usedCores: 30)) }, to: view)
        XCTAssertEqual(view.layoutChangeCount(now: start.addingTimeInterval(6)), layout + 4, "load moves nothing")
        var grown = report("c", at: start.addingTimeInterval(7), usedCores: 30)
        grown.cpuTotalMillis = 128_000
        apply({ $0.record(grown) }, to: view)
        check((view, replay), at: start.addingTimeInterval(7), "after a cluster grew")
        XCTAssertEqual(view.layoutChangeCount(now: start.addingTimeInterval(7)), layout + 5)

        // b last reported at start, a at start + 3 and c at start + 7; d never did. Past
        // start + 60 b is unknown, past start + 63 a too.
        let later = start.addingTimeInterval(61)
        check((view, replay), at: later, "after reports aged past the deadline")
        XCTAssertEqual(view.snapshot(now: later).domains.map(\.health), [.ready, .unknown, .ready, .unknown])
        XCTAssertEqual(view.layoutChangeCount(now: later), layout + 6, "health changed with time")
        XCTAssertEqual(view.snapshot(now: start.addingTimeInterval(64)).domains.map(\.health),
                       [.unknown, .unknown, .ready, .unknown])
        XCTAssertEqual(view.layoutChangeCount(now: start.addingTimeInterval(65)), layout + 7)
    }

    /// A registered price reaches the scheduler's snapshot, and a new price replaces it there.
    func testPriceReachesSnapshot() {
        let view = FleetView(reportDeadline: 60)
        var priced = cluster("a")
        priced.pricePerHour = ClusterPrice(vcpu: 0.05, memoryGB: 0.006)
        view.setCluster(priced, name: "a")
        view.setCluster(cluster("b"), name: "b")
        view.record(report("a", at: start, usedCores: 4))
        let first = view.snapshot(now: start.addingTimeInterval(1))
        XCTAssertEqual(first.domain(named: "a")?.pricePerCPUHour, 0.05)
        XCTAssertEqual(first.domain(named: "a")?.pricePerGiBHour, 0.006)
        XCTAssertEqual(first.domain(named: "b")?.pricePerCPUHour, 0)

        priced.pricePerHour = ClusterPrice(vcpu: 0.08, memoryGB: 0.006)
        view.setCluster(priced, name: "a")
        XCTAssertEqual(view.snapshot(now: start.addingTimeInterval(2)).domain(named: "a")?.pricePerCPUHour, 0.08)
    }

    /// A decision against the kept snapshot places like one against a rebuilt snapshot, and a
    /// reservation changes the next decision without a rebuild.
    func testDecisionsMatchARebuild() {
        let view = FleetView(reportDeadline: 60)
        for index in 0..<20 {
            let name = "cluster-\(100 + index)"
            view.setCluster(cluster(name), name: name)
            view.record(report(name, at: start, usedCores: Int64(index * 3)))
        }
        var task = SchedulingTask(id: "task", replicas: 3,
                                  requirements: ResourceRequirements(cpuMillis: 8_000, memoryBytes: gibibyte))
        task.division = .aggregated
        var now = start.addingTimeInterval(1)
        var reserved: [String: Int64] = [:]
        var receivers = Set<String>()
        for round in 0..<10 {
            let snapshot = view.snapshot(now: now)
            for domain in snapshot.domains {
                XCTAssertEqual(domain.reserved.cpuMillis, reserved[domain.name] ?? 0, "round \(round) \(domain.name)")
            }
            let decision = Scheduler.decide(task, fleet: snapshot)
            XCTAssertEqual(decision, Scheduler.decide(task, fleet: FleetSnapshot(domains: snapshot.domains)), "round \(round)")
            XCTAssertEqual(decision.outcome, .scheduled, "round \(round)")
            view.reserve(decision.reservations, for: "binding-\(round)", at: now)
            for item in decision.reservations { reserved[item.domain, default: 0] += item.resources.cpuMillis }
            receivers.formUnion(decision.assignments.keys)
            now.addTimeInterval(0.5)
        }
        // Reservations fill the best clusters, so later decisions move on to others.
        XCTAssertGreaterThan(receivers.count, 1)
    }
}
