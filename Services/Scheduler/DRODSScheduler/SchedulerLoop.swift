import DRODSCore
import DRODSDomain
import DRODSEventStore
import DRODSScheduling
import Foundation

/// The active scheduler's loop. It follows the event log from its start, so its view of
/// clusters, workloads, policies and bindings is rebuilt on every start, and:
/// - records a binding `wl.<kind>.<namespace>.<name>` for each workload that a propagation or
///   placement policy selects and that has none. The id is fixed per workload and the append
///   expects a new stream, so a restart or a second instance records nothing twice.
/// - decides where each pending binding's replicas go, with the fleet's load from
///   `drods.metrics.raw`, and appends the decision with its explanation.
/// - moves the replicas of placed bindings when their clusters fail or leave, or their policy
///   or workload changes, and removes the binding of a deleted workload.
public final class SchedulerLoop: @unchecked Sendable {
    let store: EventStore
    private let postgresURL: String
    let logger: Logger
    let settings: SchedulerSettings
    let fleet: FleetView
    let forecaster = HoltWintersForecast(period: LoadHistory.samplesPerDay)
    /// Serialises the log handler and the periodic placement pass.
    private let lock = NSLock()
    private var workloads: [String: Workload] = [:]
    private var propagationPolicies: [String: PropagationPolicy] = [:]
    private var placementPolicies: [String: ResourcePlacementPolicy] = [:]
    private var boundWorkloads: Set<String> = []
    var bindings = BindingTable()
    /// Bindings whose workload was deleted, to be removed on the next pass.
    var endedBindings: Set<String> = []
    /// Set by every cluster, policy or workload event: placed bindings are decided again.
    var resourcesChanged = true
    /// `FleetView.layoutChangeCount` at the last rescheduling pass; -1 before the first.
    var lastFleetLayout = -1

    public init(store: EventStore, postgresURL: String, settings: SchedulerSettings = SchedulerSettings(),
                logger: Logger) {
        self.store = store
        self.postgresURL = postgresURL
        self.settings = settings
        self.fleet = FleetView(reportDeadline: settings.reportDeadline)
        fleet.overloadLevel = settings.overloadLevel
        self.logger = logger.with([.component: "scheduler"])
    }

    /// Runs until `stop`; called while this instance leads the scheduler. Bindings are
    /// decided after every batch of events and every `settings.retryInterval` seconds, because
    /// load reports that make room, and the silence that marks a cluster unknown, arrive
    /// outside the log.
    public func run(stop: StopSignal) {
        lock.withLock {
            workloads = [:]
            propagationPolicies = [:]
            placementPolicies = [:]
            boundWorkloads = []
            bindings = BindingTable()
            endedBindings = []
            resourcesChanged = true
            lastFleetLayout = -1
        }
        let retries = Thread { [self] in
            while !stop.wait(seconds: settings.retryInterval) {
                lock.withLock { decideAll() }
            }
        }
        retries.name = "scheduler-retry"
        retries.start()
        let tailer = LogTailer(url: postgresURL, logger: logger)
        tailer.run(from: .start, stop: stop) { batch in
            try lock.withLock {
                for event in batch { apply(event) }
                try recordTasks()
                decideAll()
            }
            return batch.last!.position
        }
    }

    func markBound(_ bindingID: String) { boundWorkloads.insert(bindingID) }

    func markUnbound(_ bindingID: String) { boundWorkloads.remove(bindingID) }

    /// Runs one pass: removes ended bindings first, so that their room counts, then places
    /// pending bindings, revisits placed ones and rebalances overloaded clusters.
    private func decideAll() {
        removeEnded()
        placePending()
        reschedulePlaced()
        rebalanceOverloaded()
    }

    func workload(_ key: String) -> Workload? { workloads[key] }

    /// Returns the scheduling options and target cluster names of a policy, by name. A
    /// placement policy's targets by label are resolved against the registered clusters. A
    /// policy whose targets match no cluster gets a name no cluster has, so it places nothing
    /// instead of anywhere.
    func policy(named name: String) -> (options: SchedulingOptions, targets: [String])? {
        if let policy = propagationPolicies[name] { return (policy.scheduling, policy.targetClusters) }
        if let policy = placementPolicies[name] {
            let targets = policy.spec.targetClusters
            guard !targets.isEmpty else { return (policy.spec.scheduling, []) }
            let names = fleet.clusters.filter { cluster in targets.contains { $0.allows(cluster) } }.map(\.name)
            return (policy.spec.scheduling, names.isEmpty ? ["no-cluster-matches-\(name)"] : names)
        }
        return nil
    }

    /// Returns the binding id of a workload's scheduling task. Namespaces are DNS-1123 labels without
    /// dots, so the id splits back into its parts unambiguously.
    static func bindingID(for workload: Workload) -> String {
        "wl.\(workload.kind.rawValue.lowercased()).\(workload.namespace).\(workload.name)"
    }

    // MARK: - State

    private func apply(_ event: StoredEvent) {
        if BindingState.eventTypes.contains(event.type) {
            applyBinding(event)
            return
        }
        if event.type == "ClusterLoadSampled" {
            if let data = try? event.decodeData(JSONValue.self), let cluster = data["cluster"]?.stringValue,
               let level = data["waterLevel"]?.doubleValue,
               let start = data["periodStart"]?.stringValue.flatMap({ ISO8601DateFormatter().date(from: $0) }) {
                fleet.recordSample(cluster: cluster, waterLevel: level, at: start)
            }
            return
        }
        guard let (kind, change) = ResourceKind.forEvent(event.type),
              let data = try? event.decodeData(ResourceEventData.self) else { return }
        resourcesChanged = true
        do {
            switch (kind, change) {
            case (.workload, .deleted):
                if let workload = workloads[data.key] { endedBindings.insert(Self.bindingID(for: workload)) }
                workloads[data.key] = nil
            case (.workload, _): workloads[data.key] = try Workload.validate(data.document)
            case (.propagationPolicy, .deleted): propagationPolicies[data.key] = nil
            case (.propagationPolicy, _): propagationPolicies[data.key] = try PropagationPolicy.validate(data.document)
            case (.placementPolicy, .deleted): placementPolicies[data.key] = nil
            case (.placementPolicy, _): placementPolicies[data.key] = try ResourcePlacementPolicy.validate(data.document)
            case (.cluster, .deleted): fleet.setCluster(nil, name: data.key)
            case (.cluster, _):
                fleet.setCluster(try WireJSON.decode(Cluster.self, from: WireJSON.encode(data.document)), name: data.key)
            default: break
            }
        } catch {
            // The controller validated the document before storing it; a document that no
            // longer validates was stored by an older version with other rules.
            logger.warning("stored resource does not validate, ignoring it", [
                .streamID: event.streamID, .eventType: event.type, .error: String(describing: error),
            ])
        }
    }

    private func recordTasks() throws {
        for workload in workloads.values.sorted(by: { $0.key < $1.key }) {
            let bindingID = Self.bindingID(for: workload)
            guard !boundWorkloads.contains(bindingID), let (policy, priority) = selectingPolicy(for: workload) else { continue }
            let request = BindingRequest(subject: .workload(workload.reference), replicas: workload.replicas,
                                         priority: priority, policy: policy)
            let (event, _) = BindingEvents.requested(
                bindingID: bindingID, request: request,
                metadata: EventMetadata(actor: "drods-scheduler", correlationID: bindingID))
            // A workload created again after its binding was removed reuses the stream.
            let expected: ExpectedVersion = bindings[bindingID].map { .exact($0.version) } ?? .noStream
            do {
                try store.append(to: "binding-\(bindingID)", expected: expected, events: [event])
                logger.info("workload selected by a policy, scheduling task recorded", [
                    "binding.id": bindingID, "policy": policy, "workload": workload.key,
                ])
            } catch let error as EventStoreError where error.code == .wrongExpectedVersion {
                // Recorded before: by this instance before a restart, or by another one.
            }
            boundWorkloads.insert(bindingID)
        }
    }

    /// Returns the policy that selects `workload`, with its priority. The highest priority
    /// wins, then the name, so the choice does not depend on the order events arrived in. Propagation
    /// policies name no API version, so they select by kind, namespace, names and labels.
    private func selectingPolicy(for workload: Workload) -> (String, Int)? {
        var candidates: [(name: String, priority: Int)] = []
        for policy in propagationPolicies.values where policy.resourceType == workload.kind
            && (policy.namespace == nil || policy.namespace == workload.namespace)
            && (policy.resourceNames.isEmpty || policy.resourceNames.contains(workload.name))
            && policy.labelSelector.allSatisfy({ workload.labels[$0.key] == $0.value }) {
            candidates.append((policy.name, policy.priority))
        }
        for policy in placementPolicies.values where policy.spec.resourceSelector.matches(workload) {
            candidates.append((policy.name, policy.spec.priority))
        }
        return candidates.sorted { ($0.priority, $1.name) > ($1.priority, $0.name) }.first.map { ($0.name, $0.priority) }
    }
}
