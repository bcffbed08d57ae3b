import DRODSCore

/// The discovery documents kubectl reads before its first real call: `/version`, `/api`,
/// `/apis` and one resource list per group version. Only the legacy (unaggregated) form is
/// served; clients that ask for aggregated discovery fall back to it when the reply is plain
/// `application/json`.
enum Discovery {
    static func version() -> JSONValue {
        let parts = MemberSimulator.kubernetesVersion.dropFirst().split(separator: ".")
        return .object([
            "major": .string(String(parts[0])),
            "minor": .string(String(parts[1])),
            "gitVersion": .string(MemberSimulator.kubernetesVersion),
            "platform": .string("linux/amd64"),
        ])
    }

    static func coreVersions(serverAddress: String) -> JSONValue {
        .object([
            "kind": .string("APIVersions"),
            "versions": .array([.string("v1")]),
            "serverAddressByClientCIDRs": .array([.object([
                "clientCIDR": .string("0.0.0.0/0"), "serverAddress": .string(serverAddress),
            ])]),
        ])
    }

    static func groups() -> JSONValue {
        let groups = ResourceType.groupVersions.filter { !$0.group.isEmpty }.map { entry -> JSONValue in
            let version: JSONValue = .object([
                "groupVersion": .string("\(entry.group)/\(entry.version)"), "version": .string(entry.version),
            ])
            return .object(["name": .string(entry.group), "versions": .array([version]), "preferredVersion": version])
        }
        return .object(["kind": .string("APIGroupList"), "apiVersion": .string("v1"), "groups": .array(groups)])
    }

    /// Returns the `APIResourceList` of a group version, or nil when the simulator does not serve it.
    static func resources(group: String, version: String) -> JSONValue? {
        let served = ResourceType.all.filter { $0.group == group && $0.version == version }
        guard !served.isEmpty else { return nil }
        var entries: [JSONValue] = []
        for resource in served {
            entries.append(.object([
                "name": .string(resource.plural),
                "singularName": .string(resource.singular),
                "namespaced": .bool(resource.namespaced),
                "kind": .string(resource.kind),
                "verbs": .array(resource.verbs.map { .string($0) }),
                "shortNames": .array(resource.shortNames.map { .string($0) }),
            ]))
            if resource.hasScaleSubresource {
                entries.append(.object([
                    "name": .string("\(resource.plural)/scale"),
                    "singularName": .string(""),
                    "namespaced": .bool(true),
                    "group": .string("autoscaling"),
                    "version": .string("v1"),
                    "kind": .string("Scale"),
                    "verbs": .array([.string("get"), .string("patch"), .string("update")]),
                ]))
            }
        }
        let groupVersion = group.isEmpty ? version : "\(group)/\(version)"
        return .object([
            "kind": .string("APIResourceList"), "apiVersion": .string("v1"),
            "groupVersion": .string(groupVersion), "resources": .array(entries),
        ])
    }
}

extension ResourceType {
    /// Whether the resource serves the `scale` subresource that `kubectl scale` uses.
    var hasScaleSubresource: Bool { self == .deployments || self == .statefulSets }
}
