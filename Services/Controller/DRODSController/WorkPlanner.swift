import DRODSCore
import DRODSDomain
import DRODSEventStore
import Foundation

/// Turns placements into works: for each binding of a workload, the manifest each member
/// cluster of its placement must run (the workload rendered with that cluster's share of the
/// replicas and its override policies). Runs on the active controller only. It follows the
/// event log from the start, so its view is rebuilt on every start, and appends a work event
/// only when a cluster's manifest changes:
///
/// - `WorkPlanned` on `work-<cluster>/<Kind>/<namespace>/<name>` with the rendered manifest;
/// - `WorkRemoved` on the same stream when the placement leaves the cluster or the binding is
///   removed.
///
/// Agents pull the planned works of their cluster through the gateway and apply them.
public final class WorkPlanner: @unchecked Sendable {
    private let store: EventStore
    private let postgresURL: String
    private let logger: Logger
    private var clusters: [String: Cluster] = [:]
    private var workloads: [String: Workload] = [:]
    private var overrides: [String: ClusterOverridePolicy] = [:]
    /// Placement per binding of a workload: the workload key and replicas per cluster.
    private var placements: [String: (workload: String, replicas: [String: Int])] = [:]
    /// The manifest last planned per work stream, nil once removed, with the stream version.
    private var planned: [String: (manifest: JSONValue?, version: Int)] = [:]
    /// Ready replicas per work stream, as the cluster's agent last reported them.
    private var ready: [String: Int] = [:]
    /// Bindings removed with their workload: their works go at once, with nothing to wait for.
    private var removedWorkloads: Set<String> = []

    public init(store: EventStore, postgresURL: String, logger: Logger) {
        self.store = store
        self.postgresURL = postgresURL
        self.logger = logger.with([.component: "works"])
    }

    public static func streamID(cluster: String, workload: String) -> String { "work-\(cluster)/\(workload)" }

    /// The events whose data `apply` reads. Binding events are most of the log and only those
    /// of workloads matter here, so the others are read without their data, which the
    /// server then neither converts to text nor sends.
    static let dataCondition = """
        (type NOT LIKE 'Binding%' OR (type IN ('BindingScheduled', 'BindingRescheduled', 'BindingRemoved') \
        AND data->'binding'->'request' ? 'workload'))
        """

    /// Runs until `stop`; called while this instance leads the work planning.
    public func run(stop: StopSignal) {
        clusters = [:]
        workloads = [:]
        overrides = [:]
        placements = [:]
        planned = [:]
        ready = [:]
        removedWorkloads = []
        let tailer = LogTailer(url: postgresURL, dataCondition: Self.dataCondition, logger: logger)
        tailer.run(from: .start, stop: stop) { batch in
            for event in batch { apply(event) }
            try plan()
            return batch.last!.position
        }
    }

    // MARK: - State

    private func apply(_ event: StoredEvent) {
        switch event.type {
        case "ClusterStatusSynced":
            guard let data = try? event.decodeData(JSONValue.self), let cluster = data["cluster"]?.stringValue,
                  case .array(let objects) = data["objects"] ?? .null else { return }
            for object in objects {
                guard let kind = object["kind"]?.stringValue, let name = object["name"]?.stringValue else { continue }
                let key = "\(kind)/\(object["namespace"]?.stringValue ?? "default")/\(name)"
                ready[Self.streamID(cluster: cluster, workload: key)] = Int(object["status"]?["readyReplicas"]?.doubleValue ?? 0)
            }
            return
        case "WorkPlanned", "WorkRemoved":
            let manifest = event.type == "WorkPlanned" ? (try? event.decodeData(JSONValue.self))?["manifest"] : nil
            planned[event.streamID] = (manifest, event.streamVersion)
            return
        case "BindingScheduled", "BindingRescheduled", "BindingRemoved":
            // Only bindings of workloads have works. Their data names the workload, so a binding
            // whose JSON text lacks the key is skipped without decoding its scores.
            guard event.data.contains("\"workload\""),
                  let data = try? event.decodeData(JSONValue.self), let id = data["bindingId"]?.stringValue,
                  let reference = data["binding"]?["request"]?["workload"] else { return }
            guard let kind = reference["kind"]?.stringValue, let namespace = reference["namespace"]?.stringValue,
                  let name = reference["name"]?.stringValue else { return }
            var replicas: [String: Int] = [:]
            if case .object(let members) = data["binding"]?["placement"] ?? .null {
                replicas = members.compactMapValues { $0.doubleValue.map { Int($0) } }.filter { $0.value > 0 }
            }
            let key = "\(kind)/\(namespace)/\(name)"
            if event.type == "BindingRemoved" {
                placements[id] = nil
                removedWorkloads.insert(key)
            } else {
                placements[id] = (key, replicas)
                removedWorkloads.remove(key)
            }
            return
        default:
            break
        }
        guard let (kind, change) = ResourceKind.forEvent(event.type),
              let data = try? event.decodeData(ResourceEventData.self) else { return }
        switch (kind, change) {
        case (.cluster, .deleted): clusters[data.key] = nil
        case (.cluster, _): clusters[data.key] = try? WireJSON.decode(Cluster.self, from: WireJSON.encode(data.document))
        case (.workload, .deleted): workloads[data.key] = nil
        case (.workload, _): workloads[data.key] = try? Workload.validate(data.document)
        case (.overridePolicy, .deleted): overrides[data.key] = nil
        case (.overridePolicy, _): overrides[data.key] = try? ClusterOverridePolicy.validate(data.document)
        default: break
        }
    }

    // MARK: - Planning

    /// Appends the work events that bring the planned works in line with the placements.
    private func plan() throws {
        var desired: [String: (cluster: String, workload: String, manifest: JSONValue)] = [:]
        let policies = overrides.values.sorted { $0.metadata.name < $1.metadata.name }
        for (bindingID, placement) in placements.sorted(by: { $0.key < $1.key }) {
            guard let workload = workloads[placement.workload] else { continue }
            for (clusterName, count) in placement.replicas.sorted(by: { $0.key < $1.key }) {
                guard let cluster = clusters[clusterName] else { continue }
                do {
                    var manifest = try WorkloadRenderer.render(workload: workload, for: cluster, replicas: count,
                                                               overrides: policies)
                    Self.label(&manifest, binding: bindingID)
                    desired[Self.streamID(cluster: clusterName, workload: placement.workload)] =
                        (clusterName, placement.workload, manifest)
                } catch {
                    logger.warning("workload cannot be rendered for a cluster", [
                        "binding.id": bindingID, "cluster": clusterName, .error: String(describing: error),
                    ])
                }
            }
        }

        // Per workload, replicas per cluster as planned now and as the placement wants them.
        var current: [String: [String: Int]] = [:]
        var target: [String: [String: Int]] = [:]
        var readyNow: [String: [String: Int]] = [:]
        for (stream, state) in planned where state.manifest != nil {
            let (cluster, workload) = Self.parts(of: stream)
            current[workload, default: [:]][cluster] = Self.replicas(of: state.manifest!)
            readyNow[workload, default: [:]][cluster] = ready[stream] ?? 0
        }
        for (stream, work) in desired {
            target[work.workload, default: [:]][work.cluster] = Self.replicas(of: work.manifest)
            readyNow[work.workload, default: [:]][work.cluster] = ready[stream] ?? 0
        }
        func mayDecrease(_ workload: String, _ cluster: String) -> Bool {
            if removedWorkloads.contains(workload) { return true }
            return ScaleDownGate.allowedDecreases(current: current[workload] ?? [:], target: target[workload] ?? [:],
                                                  ready: readyNow[workload] ?? [:]).contains(cluster)
        }

        for (stream, work) in desired.sorted(by: { $0.key < $1.key }) where planned[stream]?.manifest != work.manifest {
            let before = planned[stream]?.manifest.map(Self.replicas) ?? 0
            if Self.replicas(of: work.manifest) < before && !mayDecrease(work.workload, work.cluster) { continue }
            try append(stream, type: "WorkPlanned", data: .object([
                "cluster": .string(work.cluster), "workload": .string(work.workload), "manifest": work.manifest,
            ]), manifest: work.manifest)
        }
        for (stream, state) in planned.sorted(by: { $0.key < $1.key }) where state.manifest != nil && desired[stream] == nil {
            let (cluster, workload) = Self.parts(of: stream)
            // The cluster keeps running its replicas until the ones that replace them are ready.
            guard mayDecrease(workload, cluster) else { continue }
            try append(stream, type: "WorkRemoved", data: .object([
                "cluster": .string(cluster), "workload": .string(workload),
            ]), manifest: nil)
        }
    }

    private static func parts(of stream: String) -> (cluster: String, workload: String) {
        let parts = stream.dropFirst("work-".count).split(separator: "/", maxSplits: 1)
        return (String(parts.first ?? ""), String(parts.count > 1 ? parts[1] : ""))
    }

    /// Returns the replica count of a manifest: `spec.replicas`, or `spec.parallelism` for a Job.
    private static func replicas(of manifest: JSONValue) -> Int {
        Int(manifest["spec"]?["replicas"]?.doubleValue ?? manifest["spec"]?["parallelism"]?.doubleValue ?? 1)
    }

    private func append(_ stream: String, type: String, data: JSONValue, manifest: JSONValue?) throws {
        let version = planned[stream]?.version ?? 0
        do {
            try store.append(to: stream, expected: version == 0 ? .noStream : .exact(version),
                             events: [NewEvent(type: type, data: data,
                                               metadata: EventMetadata(actor: "drods-controller", correlationID: stream))])
        } catch let error as EventStoreError where error.code == .wrongExpectedVersion {
            // Appended before, by this instance before a restart or another one; the log
            // brings the event back and the next pass compares again.
            return
        }
        planned[stream] = (manifest, version + 1)
        logger.info(type == "WorkPlanned" ? "work planned" : "work removed", [.streamID: stream])
    }

    /// Marks the manifest as managed by DRO-DS, so that agents find and remove what they
    /// applied, and names the binding it came from.
    static func label(_ manifest: inout JSONValue, binding: String) {
        guard case .object(var root) = manifest, case .object(var metadata) = root["metadata"] ?? .object([:]) else { return }
        var labels: [String: JSONValue] = [:]
        if case .object(let existing) = metadata["labels"] ?? .null { labels = existing }
        labels["drods.io/managed"] = .string("true")
        var annotations: [String: JSONValue] = [:]
        if case .object(let existing) = metadata["annotations"] ?? .null { annotations = existing }
        annotations["drods.io/binding"] = .string(binding)
        metadata["labels"] = .object(labels)
        metadata["annotations"] = .object(annotations)
        root["metadata"] = .object(metadata)
        manifest = .object(root)
    }
}
