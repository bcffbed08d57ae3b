import DRODSCore
import Foundation

/// Makes a member cluster run exactly the works DRO-DS planned for it: creates what is
/// missing, replaces what changed, and deletes what DRO-DS applied earlier but no longer
/// plans. Objects DRO-DS applies carry the label `drods.io/managed=true` and the annotation
/// `drods.io/work-version`, so that an unchanged work costs one read and nothing made by
/// anyone else is touched.
struct WorkApplier {
    static let managedLabel = "drods.io/managed"
    static let versionAnnotation = "drods.io/work-version"

    /// API collection paths per kind: group-version prefix and plural.
    static let collections: [String: (prefix: String, plural: String)] = [
        "Deployment": ("/apis/apps/v1", "deployments"), "StatefulSet": ("/apis/apps/v1", "statefulsets"),
        "Job": ("/apis/batch/v1", "jobs"),
    ]

    let kubernetes: KubernetesClient
    let logger: Logger

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Applies `works` (`{workload, version, manifest}` as the gateway lists them). Returns
    /// how many objects were created, replaced and deleted.
    func apply(_ works: [JSONValue]) throws -> (created: Int, replaced: Int, deleted: Int) {
        var counts = (created: 0, replaced: 0, deleted: 0)
        var plannedKeys: Set<String> = []
        var namespaces: Set<String> = []
        for work in works {
            guard case .object(var manifest) = work["manifest"] ?? .null, let kind = manifest["kind"]?.stringValue,
                  let collection = Self.collections[kind],
                  case .object(var metadata) = manifest["metadata"] ?? .null,
                  let name = metadata["name"]?.stringValue else { continue }
            let namespace = metadata["namespace"]?.stringValue ?? "default"
            let version = String(Int(work["version"]?.doubleValue ?? 0))
            plannedKeys.insert("\(kind)/\(namespace)/\(name)")
            if !namespaces.contains(namespace) {
                try ensureNamespace(namespace)
                namespaces.insert(namespace)
            }

            var annotations: [String: JSONValue] = [:]
            if case .object(let existing) = metadata["annotations"] ?? .null { annotations = existing }
            annotations[Self.versionAnnotation] = .string(version)
            metadata["annotations"] = .object(annotations)
            metadata["namespace"] = .string(namespace)
            let base = "\(collection.prefix)/namespaces/\(namespace)/\(collection.plural)"
            let current = try kubernetes.send("GET", "\(base)/\(name)")
            if current.status == 404 {
                manifest["metadata"] = .object(metadata)
                try expect(try kubernetes.send("POST", base, body: .object(manifest)), 201, "create \(kind) \(namespace)/\(name)")
                counts.created += 1
                logger.info("work applied", ["work": "\(kind)/\(namespace)/\(name)", "work.version": version, "action": "create"])
                continue
            }
            try expect(current, 200, "read \(kind) \(namespace)/\(name)")
            if current.body["metadata"]?["annotations"]?[Self.versionAnnotation]?.stringValue == version { continue }
            metadata["resourceVersion"] = current.body["metadata"]?["resourceVersion"] ?? .null
            manifest["metadata"] = .object(metadata)
            try expect(try kubernetes.send("PUT", "\(base)/\(name)", body: .object(manifest)), 200,
                       "replace \(kind) \(namespace)/\(name)")
            counts.replaced += 1
            logger.info("work applied", ["work": "\(kind)/\(namespace)/\(name)", "work.version": version, "action": "replace"])
        }

        for (kind, collection) in Self.collections.sorted(by: { $0.key < $1.key }) {
            let managed = try kubernetes.list("\(collection.prefix)/\(collection.plural)?labelSelector=\(Self.managedLabel)%3Dtrue")
            for item in managed {
                guard let name = item["metadata"]?["name"]?.stringValue else { continue }
                let namespace = item["metadata"]?["namespace"]?.stringValue ?? "default"
                guard !plannedKeys.contains("\(kind)/\(namespace)/\(name)") else { continue }
                let path = "\(collection.prefix)/namespaces/\(namespace)/\(collection.plural)/\(name)"
                let result = try kubernetes.send("DELETE", path)
                guard result.status == 200 || result.status == 202 || result.status == 404 else {
                    throw Failure(description: "delete \(kind) \(namespace)/\(name) failed with HTTP \(result.status)")
                }
                counts.deleted += 1
                logger.info("work removed", ["work": "\(kind)/\(namespace)/\(name)"])
            }
        }
        return counts
    }

    private func ensureNamespace(_ namespace: String) throws {
        let current = try kubernetes.send("GET", "/api/v1/namespaces/\(namespace)")
        guard current.status == 404 else { return try expect(current, 200, "read namespace \(namespace)") }
        let created = try kubernetes.send("POST", "/api/v1/namespaces", body: .object([
            "apiVersion": .string("v1"), "kind": .string("Namespace"), "metadata": .object(["name": .string(namespace)]),
        ]))
        // 409: created meanwhile by someone else, which is as good.
        guard created.status == 201 || created.status == 409 else {
            throw Failure(description: "create namespace \(namespace) failed with HTTP \(created.status)")
        }
    }

    private func expect(_ result: (status: Int, body: JSONValue), _ status: Int, _ what: String) throws {
        guard result.status == status else {
            let message = result.body["message"]?.stringValue ?? ""
            throw Failure(description: "\(what) failed with HTTP \(result.status) \(message)")
        }
    }
}
