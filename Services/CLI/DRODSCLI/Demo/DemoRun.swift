import DRODSCore
import Foundation

/// One replay of trace tasks against a started control plane: submits and deletes the
/// Deployments on time, takes one cluster down halfway, samples the live view and the
/// schedule history, and computes the figures.
final class DemoRun: @unchecked Sendable {
    /// Seconds between two samples of the live view and the history.
    static let sampleInterval = 5.0
    /// Requests in flight at most; the gateway's writes are synchronous, so several workers
    /// keep the replay on time.
    static let workers = 6
    /// Seconds to wait after the replay for the failed cluster's bindings to move.
    static let settleSeconds = 60.0

    let client: DemoClient
    let tasks: [DemoTask]
    /// Wall-clock seconds the replay lasts; later creations and deletions are left out.
    let length: Double
    let failover: Bool
    let stop: StopSignal
    let logger: Logger
    let state = DemoState()
    let progress = DemoProgress()
    private(set) var fault: DemoFault?
    /// Creations that fall within the replay's length.
    let plannedCreations: Int

    init(client: DemoClient, tasks: [DemoTask], length: Double, failover: Bool, stop: StopSignal, logger: Logger) {
        self.client = client
        self.tasks = tasks
        self.length = length
        self.failover = failover
        self.stop = stop
        self.logger = logger
        plannedCreations = tasks.filter { $0.createAt <= length }.count
    }

    /// Runs the replay and the settling time after it; returns when done or stopped.
    func run() {
        let finished = StopSignal()
        let sampler = Thread { [self] in
            while !finished.wait(seconds: Self.sampleInterval), !stop.isStopped { sample() }
        }
        sampler.start()
        replay()
        settle()
        finished.stop()
        sample()
    }

    private func replay() {
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = Self.workers
        var creations: [String: Operation] = [:]
        // Deletions (kind 0) go before creations (kind 1) at the same instant, as in the trace.
        var schedule: [(time: Double, kind: Int, task: Int)] = []
        for (index, task) in tasks.enumerated() where task.createAt <= length {
            schedule.append((task.createAt, 1, index))
            if task.deleteAt <= length { schedule.append((task.deleteAt, 0, index)) }
        }
        schedule.sort { ($0.time, $0.kind, $0.task) < ($1.time, $1.kind, $1.task) }

        for entry in schedule {
            guard waitUntil(entry.time) else { break }
            let task = tasks[entry.task]
            if entry.kind == 1 {
                let operation = BlockOperation { [self] in create(task) }
                creations[task.name] = operation
                queue.addOperation(operation)
            } else {
                let operation = BlockOperation { [self] in delete(task) }
                // A deletion must follow its creation even when the workers fall behind.
                if let creation = creations.removeValue(forKey: task.name) { operation.addDependency(creation) }
                queue.addOperation(operation)
            }
        }
        _ = waitUntil(length)
        queue.waitUntilAllOperationsAreFinished()
    }

    /// Sleeps until `time` seconds after the replay's start, redrawing the progress and
    /// injecting the fault on the way; returns false when stopped.
    private func waitUntil(_ time: Double) -> Bool {
        while true {
            let elapsed = Date().timeIntervalSince(client.replayStart)
            if failover, fault == nil, elapsed >= length / 2 { injectFault(at: elapsed) }
            showProgress(elapsed: elapsed)
            if elapsed >= time { return true }
            if stop.wait(seconds: min(0.5, time - elapsed)) { return false }
        }
    }

    /// Takes down the cluster that runs the most demo replicas, so the failover moves work.
    private func injectFault(at elapsed: Double) {
        let replicas = state.replicasByCluster
        let target = replicas.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
            ?? state.snapshot.samples.last?.domains.keys.sorted().first
        guard let target else { return }
        do {
            try client.setFault("down", cluster: target)
            fault = DemoFault(domain: target, time: elapsed)
            logger.info("cluster switched down", ["cluster": target, "replicas": String(replicas[target] ?? 0)])
        } catch {
            logger.error("switching a cluster down failed; the demo goes on without a failover",
                         ["cluster": target, .error: String(describing: error)])
            fault = DemoFault(domain: target, time: -1)
        }
    }

    /// Waits until every binding on the failed cluster has moved, at most `settleSeconds`.
    private func settle() {
        guard let fault, fault.time >= 0 else { return }
        let deadline = Date(timeIntervalSinceNow: Self.settleSeconds)
        while Date() < deadline {
            sample()
            if currentFigures().failoverSeconds != nil { return }
            showProgress(elapsed: Date().timeIntervalSince(client.replayStart), note: "waiting for the failover")
            if stop.wait(seconds: 2) { return }
        }
    }

    private func create(_ task: DemoTask) {
        let bindingID = DemoManifest.bindingID(name: task.name)
        do {
            let status = try client.createWorkload(task)
            // 409: an earlier run with the same data folder created it.
            if status == 201 || status == 409 {
                state.recordCreated(bindingID)
            } else {
                state.recordFailure(status: status)
                logger.warning("creating a demo workload failed", ["workload": task.name, "http.status": String(status)])
            }
        } catch {
            state.recordFailure(status: 0)
            logger.warning("creating a demo workload failed", ["workload": task.name, .error: String(describing: error)])
        }
    }

    private func delete(_ task: DemoTask) {
        do {
            let status = try client.deleteWorkload(task)
            if status == 200 {
                state.recordDeleted()
            } else if status != 404 {
                state.recordFailure(status: status)
                logger.warning("deleting a demo workload failed", ["workload": task.name, "http.status": String(status)])
            }
        } catch {
            state.recordFailure(status: 0)
            logger.warning("deleting a demo workload failed", ["workload": task.name, .error: String(describing: error)])
        }
    }

    private var historyCursor: String?
    private let sampleLock = NSLock()

    /// Reads the live view and the new history entries; a failed read is logged and skipped.
    func sample() {
        sampleLock.withLock {
            do {
                let read = try client.scheduleHistory(after: historyCursor)
                historyCursor = read.cursor
                state.add(read.events)
                var domains = try client.liveDomains()
                // The live view keeps a silent cluster's last report until its activity window
                // passes; the cluster the demo switched off is down from that moment.
                if let fault, fault.time >= 0 { domains[fault.domain]?.active = false }
                state.add(DemoSample(time: Date().timeIntervalSince(client.replayStart), domains: domains,
                                     phases: state.phases))
            } catch {
                logger.warning("sampling the control plane failed", [.error: String(describing: error)])
            }
        }
    }

    func currentFigures(prices: [String: DemoFigures.Price] = [:]) -> DemoFigures {
        let snapshot = state.snapshot
        return DemoFigures.compute(submitted: snapshot.created, bindingIDs: snapshot.submitted,
                                   events: snapshot.events, samples: snapshot.samples, prices: prices,
                                   fault: fault.flatMap { $0.time >= 0 ? $0 : nil })
    }

    private func showProgress(elapsed: Double, note: String = "") {
        let snapshot = state.snapshot
        var text = note
        if text.isEmpty, let fault, fault.time >= 0 { text = "\(fault.domain) down at \(Int(fault.time)) s" }
        progress.show(DemoProgress.line(fraction: elapsed / max(length, 1), elapsed: elapsed, window: length,
                                        created: snapshot.created, tasks: plannedCreations, deleted: snapshot.deleted,
                                        outcomes: state.outcomes, note: text), elapsed: elapsed)
    }
}
