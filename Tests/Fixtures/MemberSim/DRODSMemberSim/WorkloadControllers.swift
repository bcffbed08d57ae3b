import DRODSCore
import Foundation

/// The simulated deployment, statefulset and job controllers. They create and delete pods
/// directly, without the ReplicaSets and ControllerRevisions that Kubernetes puts in between,
/// and own pods through `metadata.ownerReferences`.
extension ClusterState {
    /// Label on workload pods with a hash of the pod template they were made from. A pod whose
    /// hash differs from its workload's template is replaced, which acts like the `Recreate`
    /// strategy rather than a rolling update.
    static let templateHashLabel = "pod-template-hash"

    /// Brings pods and workload statuses in line with the stored objects and the clock.
    mutating func reconcile(now: Date) {
        advancePods(now: now)
        for resource in [ResourceType.deployments, .statefulSets, .jobs] {
            for key in (objects[resource.plural] ?? [:]).keys.sorted() {
                reconcileWorkload(resource, key: key, now: now)
            }
        }
        schedulePendingPods(now: now)
        advancePods(now: now)
        for resource in [ResourceType.deployments, .statefulSets, .jobs] {
            for key in (objects[resource.plural] ?? [:]).keys.sorted() {
                updateStatus(resource, key: key, now: now)
            }
        }
    }

    // MARK: - Pods of a workload

    private func ownedPods(uid: String) -> [(key: String, pod: JSONValue)] {
        (objects[ResourceType.pods.plural] ?? [:])
            .filter { Self.ownerUID(of: $0.value) == uid }
            .map { (key: $0.key, pod: $0.value) }
            .sorted { (podSequence[$0.key] ?? 0) < (podSequence[$1.key] ?? 0) }
    }

    private mutating func reconcileWorkload(_ resource: ResourceType, key: String, now: Date) {
        guard let workload = objects[resource.plural]?[key],
              let uid = workload.value(at: ["metadata", "uid"])?.stringValue else { return }
        let templateHash = Self.templateHash(workload)

        // Replace pods made from an older template; job templates are immutable.
        if resource != .jobs {
            for (podKey, pod) in ownedPods(uid: uid)
            where pod.value(at: ["metadata", "labels", Self.templateHashLabel])?.stringValue != templateHash {
                remove(resource: .pods, key: podKey)
            }
        }

        let pods = ownedPods(uid: uid)
        switch resource {
        case .deployments:
            let desired = workload.value(at: ["spec", "replicas"])?.intValue ?? 1
            if pods.count < desired {
                for _ in pods.count..<desired {
                    createPod(for: workload, resource: resource, name: nil, templateHash: templateHash, now: now)
                }
            } else if pods.count > desired {
                // Remove the pods that cost least to lose: unbound first, then not ready, then newest.
                let ranked = pods.enumerated().sorted { lhs, rhs in
                    let left = (podReadyAt[lhs.element.key] == nil ? 0 : 1, isReady(lhs.element.pod) ? 1 : 0, -lhs.offset)
                    let right = (podReadyAt[rhs.element.key] == nil ? 0 : 1, isReady(rhs.element.pod) ? 1 : 0, -rhs.offset)
                    return left < right
                }
                for entry in ranked.prefix(pods.count - desired) {
                    remove(resource: .pods, key: entry.element.key)
                }
            }
        case .statefulSets:
            let desired = workload.value(at: ["spec", "replicas"])?.intValue ?? 1
            let base = workload.value(at: ["metadata", "name"])?.stringValue ?? ""
            let existing = Set(pods.compactMap { $0.pod.value(at: ["metadata", "name"])?.stringValue })
            for (podKey, pod) in pods {
                let name = pod.value(at: ["metadata", "name"])?.stringValue ?? ""
                if let ordinal = Int(name.dropFirst(base.count + 1)), ordinal >= desired {
                    remove(resource: .pods, key: podKey)
                }
            }
            for ordinal in 0..<max(0, desired) where !existing.contains("\(base)-\(ordinal)") {
                createPod(for: workload, resource: resource, name: "\(base)-\(ordinal)",
                          templateHash: templateHash, now: now)
            }
        case .jobs:
            let completions = workload.value(at: ["spec", "completions"])?.intValue ?? 1
            let parallelism = workload.value(at: ["spec", "parallelism"])?.intValue ?? 1
            let succeeded = pods.filter { $0.pod.value(at: ["status", "phase"])?.stringValue == "Succeeded" }.count
            let active = pods.filter { !Self.isTerminal($0.pod) }.count
            let missing = min(parallelism, completions - succeeded) - active
            if missing > 0 {
                for _ in 0..<missing {
                    createPod(for: workload, resource: resource, name: nil, templateHash: templateHash, now: now)
                }
            }
        default:
            break
        }
    }

    private mutating func createPod(for workload: JSONValue, resource: ResourceType, name: String?,
                                    templateHash: String, now: Date) {
        let namespace = workload.value(at: ["metadata", "namespace"])?.stringValue ?? "default"
        let workloadName = workload.value(at: ["metadata", "name"])?.stringValue ?? ""
        let podName = name ?? uniqueName(
            prefix: resource == .deployments ? "\(workloadName)-\(templateHash)-" : "\(workloadName)-",
            resource: .pods, namespace: namespace)

        var labels = workload.stringMap(at: ["spec", "template", "metadata", "labels"])
        labels[Self.templateHashLabel] = templateHash
        if resource == .statefulSets { labels["statefulset.kubernetes.io/pod-name"] = podName }
        if resource == .jobs { labels["job-name"] = workloadName }

        var pod: JSONValue = .object([
            "metadata": .object([
                "name": .string(podName),
                "namespace": .string(namespace),
                "labels": .stringMap(labels),
                "ownerReferences": .array([.object([
                    "apiVersion": .string(resource.apiVersion),
                    "kind": .string(resource.kind),
                    "name": .string(workloadName),
                    "uid": workload.value(at: ["metadata", "uid"]) ?? .string(""),
                    "controller": .bool(true),
                    "blockOwnerDeletion": .bool(true),
                ])]),
            ]),
            "spec": workload.value(at: ["spec", "template", "spec"]) ?? .object([:]),
        ])
        if let annotations = workload.value(at: ["spec", "template", "metadata", "annotations"]) {
            pod.set(annotations, at: ["metadata", "annotations"])
        }
        pod = stamped(pod, resource: .pods, now: now)
        pod = initialized(pod, resource: .pods)
        let key = Self.key(namespace: namespace, name: podName)
        store(pod, resource: .pods, key: key)
        podSequence[key] = nextPodSequence
        nextPodSequence += 1
    }

    private func isReady(_ pod: JSONValue) -> Bool {
        pod.value(at: ["status", "phase"])?.stringValue == "Running"
    }

    /// Returns ten hex digits of a stable hash of the pod template.
    static func templateHash(_ workload: JSONValue) -> String {
        let template = workload.value(at: ["spec", "template"]) ?? .null
        let text = (try? WireJSON.encode(template)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let hex = String(StableHash.hash(text), radix: 16)
        return String((String(repeating: "0", count: 16) + hex).suffix(10))
    }

    // MARK: - Status

    private mutating func updateStatus(_ resource: ResourceType, key: String, now: Date) {
        guard var workload = objects[resource.plural]?[key],
              let uid = workload.value(at: ["metadata", "uid"])?.stringValue else { return }
        let pods = ownedPods(uid: uid).map(\.pod)
        let templateHash = Self.templateHash(workload)
        let generation = workload.value(at: ["metadata", "generation"]) ?? .number(1)
        let old = workload["status"] ?? .object([:])
        var status: [String: JSONValue] = old.objectValue ?? [:]

        switch resource {
        case .deployments, .statefulSets:
            let live = pods.filter { !Self.isTerminal($0) }
            let ready = live.filter(isReady).count
            let updated = live.filter {
                $0.value(at: ["metadata", "labels", Self.templateHashLabel])?.stringValue == templateHash
            }.count
            let desired = workload.value(at: ["spec", "replicas"])?.intValue ?? 1
            status["observedGeneration"] = generation
            status["replicas"] = .number(Double(live.count))
            status["readyReplicas"] = .number(Double(ready))
            status["availableReplicas"] = .number(Double(ready))
            status["updatedReplicas"] = .number(Double(updated))
            if resource == .deployments {
                status["unavailableReplicas"] = .number(Double(max(0, desired - ready)))
                let available = ready >= desired
                let previous = old["conditions"]?.arrayValue?.first
                let unchanged = previous?["status"]?.stringValue == (available ? "True" : "False")
                status["conditions"] = .array([unchanged ? previous! : Self.condition(
                    "Available", available, reason: available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                    message: available ? "Deployment has minimum availability."
                        : "Deployment does not have minimum availability.", now: now)])
            } else {
                status["currentReplicas"] = .number(Double(updated))
            }
        case .jobs:
            let completions = workload.value(at: ["spec", "completions"])?.intValue ?? 1
            let succeeded = pods.filter { $0.value(at: ["status", "phase"])?.stringValue == "Succeeded" }.count
            let active = pods.filter { !Self.isTerminal($0) }.count
            status["active"] = .number(Double(active))
            status["succeeded"] = .number(Double(succeeded))
            status["failed"] = .number(0)
            if status["startTime"] == nil { status["startTime"] = .string(KubeTime.format(now)) }
            if succeeded >= completions, status["completionTime"] == nil {
                status["completionTime"] = .string(KubeTime.format(now))
                status["conditions"] = .array([
                    Self.condition("Complete", true, now: now),
                ])
            }
        default:
            return
        }

        let updatedStatus = JSONValue.object(status)
        guard updatedStatus != old else { return }
        workload.set(updatedStatus, at: ["status"])
        store(workload, resource: resource, key: key)
    }
}
