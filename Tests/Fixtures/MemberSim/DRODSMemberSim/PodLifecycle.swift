import DRODSCore
import Foundation

/// What the simulated scheduler and kubelets do to pods: bind pending pods to nodes, mark bound
/// pods ready after `podReadyDelaySeconds`, and end job pods after their run time.
extension ClusterState {
    static let jobRunSecondsAnnotation = "membersim.drods.io/run-seconds"

    /// Returns the resources a pod requests: per resource, the larger of the sum over its
    /// containers and the largest init container. A container without a request for a resource
    /// but with a limit requests the limit, as Kubernetes defaults it.
    static func requests(ofPodSpec podSpec: JSONValue?) -> ResourceAmounts {
        func amounts(_ container: JSONValue) -> ResourceAmounts {
            let requests = container.value(at: ["resources", "requests"])
            let limits = container.value(at: ["resources", "limits"])
            func read(_ name: String) -> Double {
                Quantity.parse(requests?[name]) ?? Quantity.parse(limits?[name]) ?? 0
            }
            return ResourceAmounts(cpu: read("cpu"), memoryBytes: read("memory"), gpu: read(NodeFactory.gpuResource))
        }
        let containers = podSpec?["containers"]?.arrayValue ?? []
        let sum = containers.map(amounts).reduce(ResourceAmounts(), +)
        let initContainers = (podSpec?["initContainers"]?.arrayValue ?? []).map(amounts)
        let cpu = max(sum.cpu, initContainers.map(\.cpu).max() ?? 0)
        let memory = max(sum.memoryBytes, initContainers.map(\.memoryBytes).max() ?? 0)
        let gpu = max(sum.gpu, initContainers.map(\.gpu).max() ?? 0)
        return ResourceAmounts(cpu: cpu, memoryBytes: memory, gpu: gpu, pods: 1)
    }

    static func isTerminal(_ pod: JSONValue) -> Bool {
        let phase = pod.value(at: ["status", "phase"])?.stringValue
        return phase == "Succeeded" || phase == "Failed"
    }

    /// Returns every node with the requests of the unfinished pods bound to it.
    func nodeRooms() -> [NodeRoom] {
        var requested: [String: ResourceAmounts] = [:]
        // Only bound pods count: a pod that names a node it did not fit on uses nothing there.
        for (key, pod) in objects[ResourceType.pods.plural] ?? [:] where podReadyAt[key] != nil && !Self.isTerminal(pod) {
            guard let node = pod.value(at: ["spec", "nodeName"])?.stringValue else { continue }
            requested[node, default: ResourceAmounts()] = requested[node, default: ResourceAmounts()]
                + Self.requests(ofPodSpec: pod["spec"])
        }
        return (objects[ResourceType.nodes.plural] ?? [:]).values.map { node in
            let name = node.value(at: ["metadata", "name"])?.stringValue ?? ""
            return NodeRoom(name: name, labels: node.stringMap(at: ["metadata", "labels"]),
                            allocatable: NodeFactory.allocatable(of: node),
                            requested: requested[name] ?? ResourceAmounts())
        }
        .sorted { $0.name < $1.name }
    }

    /// Binds pending pods in creation order. A pod that names a node in `spec.nodeName` is bound
    /// there only if the node exists and has room; others go to the best-fit node. A pod that
    /// fits nowhere stays Pending with a `PodScheduled=False` condition that gives the reason.
    mutating func schedulePendingPods(now: Date) {
        let pending = (objects[ResourceType.pods.plural] ?? [:])
            .filter { _, pod in podReadyAt[podKey(pod)] == nil && !Self.isTerminal(pod) }
            .keys
            .sorted { (podSequence[$0] ?? 0, $0) < (podSequence[$1] ?? 0, $1) }
        guard !pending.isEmpty else { return }
        var rooms = nodeRooms()

        for key in pending {
            guard var pod = objects[ResourceType.pods.plural]?[key] else { continue }
            let request = Self.requests(ofPodSpec: pod["spec"])
            let decision: PodPlacement.Decision
            if let wanted = pod.value(at: ["spec", "nodeName"])?.stringValue {
                if let room = rooms.first(where: { $0.name == wanted }) {
                    let reasons = PodPlacement.misfits(request: request, nodeSelector: [:], node: room)
                    decision = reasons.isEmpty ? .node(wanted)
                        : .unschedulable("node \(wanted) has no room: \(reasons.joined(separator: ", "))")
                } else {
                    decision = .unschedulable("node \(wanted) does not exist")
                }
            } else {
                decision = PodPlacement.choose(request: request,
                                               nodeSelector: pod.stringMap(at: ["spec", "nodeSelector"]),
                                               nodes: rooms)
            }

            switch decision {
            case .node(let nodeName):
                if let position = rooms.firstIndex(where: { $0.name == nodeName }) {
                    rooms[position].requested = rooms[position].requested + request
                }
                bind(&pod, node: nodeName, now: now)
                podReadyAt[key] = now.addingTimeInterval(behavior.podReadyDelaySeconds)
            case .unschedulable(let message):
                var status = pod["status"] ?? .object([:])
                status.set(.string("Pending"), at: ["phase"])
                status.set(.array([Self.condition("PodScheduled", false, reason: "Unschedulable",
                                                  message: message, now: now)]), at: ["conditions"])
                // Rewriting an unchanged condition would bump resourceVersion on every tick.
                if pod.value(at: ["status", "conditions"])?.arrayValue?.first?["message"]?.stringValue == message {
                    continue
                }
                pod.set(status, at: ["status"])
            }
            store(pod, resource: .pods, key: key)
        }
    }

    /// Marks bound pods ready once their delay has passed, and ends job pods whose run time is over.
    mutating func advancePods(now: Date) {
        for (key, readyAt) in podReadyAt where readyAt <= now {
            guard var pod = objects[ResourceType.pods.plural]?[key], !Self.isTerminal(pod),
                  pod.value(at: ["status", "phase"])?.stringValue != "Running" else { continue }
            markRunning(&pod, now: now)
            store(pod, resource: .pods, key: key)
            if let runSeconds = jobRunSeconds(forPod: pod) {
                podFinishAt[key] = now.addingTimeInterval(runSeconds)
            }
        }
        for (key, finishAt) in podFinishAt where finishAt <= now {
            guard var pod = objects[ResourceType.pods.plural]?[key], !Self.isTerminal(pod) else { continue }
            markSucceeded(&pod, now: now)
            store(pod, resource: .pods, key: key)
            podFinishAt[key] = nil
        }
    }

    // MARK: - Pod status

    private func podKey(_ pod: JSONValue) -> String {
        Self.key(namespace: pod.value(at: ["metadata", "namespace"])?.stringValue,
                 name: pod.value(at: ["metadata", "name"])?.stringValue ?? "")
    }

    /// Returns the run time for a pod owned by a job, or nil for other pods.
    private func jobRunSeconds(forPod pod: JSONValue) -> Double? {
        guard let ownerUID = Self.ownerUID(of: pod),
              let job = objects[ResourceType.jobs.plural]?.values.first(where: {
                  $0.value(at: ["metadata", "uid"])?.stringValue == ownerUID
              }) else { return nil }
        if let text = job.value(at: ["metadata", "annotations", Self.jobRunSecondsAnnotation])?.stringValue,
           let seconds = Double(text), seconds >= 0 {
            return seconds
        }
        return behavior.jobRunSeconds
    }

    private mutating func bind(_ pod: inout JSONValue, node: String, now: Date) {
        nextPodAddress += 1
        let podIP = "10.\(index % 250 + 1).\(128 + nextPodAddress / 250 % 128).\(nextPodAddress % 250 + 1)"
        let hostIP = objects[ResourceType.nodes.plural]?[node]?.value(at: ["status", "addresses"])?
            .arrayValue?.first?["address"]?.stringValue ?? ""
        pod.set(.string(node), at: ["spec", "nodeName"])
        pod.set(.object([
            "phase": .string("Pending"),
            "conditions": .array([Self.condition("PodScheduled", true, now: now)]),
            "hostIP": .string(hostIP),
            "podIP": .string(podIP),
            "startTime": .string(KubeTime.format(now)),
            "containerStatuses": .array(containerStatuses(pod, ready: false, state: .object([
                "waiting": .object(["reason": .string("ContainerCreating")]),
            ]))),
        ]), at: ["status"])
    }

    private func markRunning(_ pod: inout JSONValue, now: Date) {
        pod.set(.string("Running"), at: ["status", "phase"])
        pod.set(.array(["PodScheduled", "Initialized", "ContainersReady", "Ready"].map {
            Self.condition($0, true, now: now)
        }), at: ["status", "conditions"])
        pod.set(.array(containerStatuses(pod, ready: true, state: .object([
            "running": .object(["startedAt": .string(KubeTime.format(now))]),
        ]))), at: ["status", "containerStatuses"])
    }

    private func markSucceeded(_ pod: inout JSONValue, now: Date) {
        pod.set(.string("Succeeded"), at: ["status", "phase"])
        pod.set(.array([
            Self.condition("PodScheduled", true, now: now),
            Self.condition("Ready", false, reason: "PodCompleted", now: now),
        ]), at: ["status", "conditions"])
        pod.set(.array(containerStatuses(pod, ready: false, state: .object([
            "terminated": .object([
                "exitCode": .number(0), "reason": .string("Completed"),
                "finishedAt": .string(KubeTime.format(now)),
            ]),
        ]))), at: ["status", "containerStatuses"])
    }

    private func containerStatuses(_ pod: JSONValue, ready: Bool, state: JSONValue) -> [JSONValue] {
        (pod.value(at: ["spec", "containers"])?.arrayValue ?? []).map { container in
            .object([
                "name": container["name"] ?? .string(""),
                "image": container["image"] ?? .string(""),
                "ready": .bool(ready),
                "started": .bool(ready),
                "restartCount": .number(0),
                "state": state,
            ])
        }
    }

    static func condition(_ type: String, _ status: Bool, reason: String? = nil, message: String? = nil,
                          now: Date) -> JSONValue {
        var condition: [String: JSONValue] = [
            "type": .string(type), "status": .string(status ? "True" : "False"),
            "lastTransitionTime": .string(KubeTime.format(now)),
        ]
        if let reason { condition["reason"] = .string(reason) }
        if let message { condition["message"] = .string(message) }
        return .object(condition)
    }
}
