import DRODSCore
import DRODSFleetData

/// The Deployment that stands for one trace pod: one replica with the pod's CPU and memory
/// requests and its GPUs as an `nvidia.com/gpu` limit.
enum DemoManifest {
    static let namespace = "demo"
    /// Label on every demo Deployment, which marks it as the demo's.
    static let label = "drods.io/demo"

    /// Returns the whole GPUs the Deployment requests. Kubernetes counts `nvidia.com/gpu` in whole
    /// devices, so a pod that shares one GPU in the trace takes a whole device here.
    static func wholeGPUs(of pod: TracePod) -> Int {
        pod.gpuCount > 0 ? pod.gpuCount : 0
    }

    static func deployment(name: String, pod: TracePod) -> JSONValue {
        var resources: [String: JSONValue] = [
            "requests": .object(["cpu": .string("\(pod.cpuMillis)m"), "memory": .string("\(pod.memoryMiB)Mi")]),
        ]
        let gpus = wholeGPUs(of: pod)
        if gpus > 0 {
            resources["limits"] = .object(["nvidia.com/gpu": .string(String(gpus))])
        }
        let container: JSONValue = .object([
            "name": .string("task"), "image": .string("registry.k8s.io/pause:3.9"),
            "resources": .object(resources),
        ])
        let podLabels: JSONValue = .object(["app": .string(name)])
        return .object([
            "apiVersion": .string("apps/v1"), "kind": .string("Deployment"),
            "metadata": .object([
                "name": .string(name), "namespace": .string(namespace),
                "labels": .object(["app": .string(name), label: .string("trace")]),
            ]),
            "spec": .object([
                "replicas": .number(1),
                "selector": .object(["matchLabels": podLabels]),
                "template": .object([
                    "metadata": .object(["labels": podLabels]),
                    "spec": .object(["containers": .array([container])]),
                ]),
            ]),
        ])
    }

    /// Returns the binding id the scheduler gives the Deployment.
    static func bindingID(name: String) -> String {
        "wl.deployment.\(namespace).\(name)"
    }
}
