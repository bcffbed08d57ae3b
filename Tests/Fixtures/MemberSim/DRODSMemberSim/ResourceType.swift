import DRODSCore

/// A Kubernetes resource that the simulator serves, with what discovery reports about it.
struct ResourceType: Sendable, Hashable {
    /// Plural name used in paths, such as `deployments`.
    let plural: String
    let singular: String
    let kind: String
    /// API group; empty for the core group.
    let group: String
    let version: String
    let namespaced: Bool
    let shortNames: [String]
    /// Whether clients may create, replace, patch and delete objects. Nodes come from the
    /// fleet file, so they are read-only.
    let writable: Bool

    var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// `deployments.apps` for grouped resources and `pods` for core ones, as in API messages.
    var qualifiedName: String { group.isEmpty ? plural : "\(plural).\(group)" }

    var verbs: [String] {
        writable ? ["create", "delete", "get", "list", "patch", "update"] : ["get", "list"]
    }

    func details(name: String) -> [String: JSONValue] {
        var details: [String: JSONValue] = ["name": .string(name), "kind": .string(plural)]
        if !group.isEmpty { details["group"] = .string(group) }
        return details
    }

    static let namespaces = ResourceType(plural: "namespaces", singular: "namespace", kind: "Namespace",
                                         group: "", version: "v1", namespaced: false, shortNames: ["ns"],
                                         writable: true)
    static let nodes = ResourceType(plural: "nodes", singular: "node", kind: "Node", group: "", version: "v1",
                                    namespaced: false, shortNames: ["no"], writable: false)
    static let pods = ResourceType(plural: "pods", singular: "pod", kind: "Pod", group: "", version: "v1",
                                   namespaced: true, shortNames: ["po"], writable: true)
    static let services = ResourceType(plural: "services", singular: "service", kind: "Service", group: "",
                                       version: "v1", namespaced: true, shortNames: ["svc"], writable: true)
    static let configMaps = ResourceType(plural: "configmaps", singular: "configmap", kind: "ConfigMap",
                                         group: "", version: "v1", namespaced: true, shortNames: ["cm"],
                                         writable: true)
    static let deployments = ResourceType(plural: "deployments", singular: "deployment", kind: "Deployment",
                                          group: "apps", version: "v1", namespaced: true, shortNames: ["deploy"],
                                          writable: true)
    static let statefulSets = ResourceType(plural: "statefulsets", singular: "statefulset", kind: "StatefulSet",
                                           group: "apps", version: "v1", namespaced: true, shortNames: ["sts"],
                                           writable: true)
    static let jobs = ResourceType(plural: "jobs", singular: "job", kind: "Job", group: "batch", version: "v1",
                                   namespaced: true, shortNames: [], writable: true)

    static let all: [ResourceType] = [namespaces, nodes, pods, services, configMaps, deployments, statefulSets, jobs]

    /// Returns the resource served at `group`/`version`/`plural`, or nil.
    static func find(group: String, version: String, plural: String) -> ResourceType? {
        all.first { $0.group == group && $0.version == version && $0.plural == plural }
    }

    /// Every group/version pair served, in discovery order.
    static var groupVersions: [(group: String, version: String)] {
        var seen: [(String, String)] = []
        for resource in all where !seen.contains(where: { $0 == (resource.group, resource.version) }) {
            seen.append((resource.group, resource.version))
        }
        return seen.map { (group: $0.0, version: $0.1) }
    }
}
