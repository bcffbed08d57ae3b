import DRODSCore
import DRODSDomain
import DRODSEventStore
import Foundation

/// Turns every workload that a propagation or placement policy selects into a scheduling task.
/// Follows the event log from its start, so its view of workloads, policies and existing
/// bindings is rebuilt on every start, and records a binding `wl.<kind>.<namespace>.<name>`
/// for each selected workload that has none. The binding id is fixed per workload and the
/// append expects a new stream, so a restart or a second instance records nothing twice.
public final class WorkloadTaskTrigger: @unchecked Sendable {
    private let store: EventStore
    private let postgresURL: String
    private let logger: Logger
    private var workloads: [String: Workload] = [:]
    private var propagationPolicies: [String: PropagationPolicy] = [:]
    private var placementPolicies: [String: ResourcePlacementPolicy] = [:]
    private var boundWorkloads: Set<String> = []

    public init(store: EventStore, postgresURL: String, logger: Logger) {
        self.store = store
        self.postgresURL = postgresURL
        self.logger = logger.with([.component: "workload-tasks"])
    }

    /// Runs until `stop`; called while this instance leads the scheduler.
    public func run(stop: StopSignal) {
        workloads = [:]
        propagationPolicies = [:]
        placementPolicies = [:]
        boundWorkloads = []
        let tailer = LogTailer(url: postgresURL, logger: logger)
        tailer.run(from: .start, stop: stop) { batch in
            for event in batch { apply(event) }
            try recordTasks()
            return batch.last!.position
        }
    }

    /// Returns the binding id of a workload's scheduling task. Namespaces are DNS-1123 labels without
    /// dots, so the id splits back into its parts unambiguously.
    static func bindingID(for workload: Workload) -> String {
        "wl.\(workload.kind.rawValue.lowercased()).\(workload.namespace).\(workload.name)"
    }

    // MARK: - State

    private func apply(_ event: StoredEvent) {
        if event.type == "BindingRequested" {
            if let data = try? event.decodeData(JSONValue.self), let id = data["bindingId"]?.stringValue, id.hasPrefix("wl.") {
                boundWorkloads.insert(id)
            }
            return
        }
        guard let (kind, change) = ResourceKind.forEvent(event.type),
              let data = try? event.decodeData(ResourceEventData.self) else { return }
        do {
            switch (kind, change) {
            case (.workload, .deleted): workloads[data.key] = nil
            case (.workload, _): workloads[data.key] = try Workload.validate(data.document)
            case (.propagationPolicy, .deleted): propagationPolicies[data.key] = nil
            case (.propagationPolicy, _): propagationPolicies[data.key] = try PropagationPolicy.validate(data.document)
            case (.placementPolicy, .deleted): placementPolicies[data.key] = nil
            case (.placementPolicy, _): placementPolicies[data.key] = try ResourcePlacementPolicy.validate(data.document)
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
            do {
                try store.append(to: "binding-\(bindingID)", expected: .noStream, events: [event])
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
