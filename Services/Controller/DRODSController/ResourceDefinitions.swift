import DRODSCore
import DRODSDomain
import Foundation

/// The resource kinds the controller owns, wired to the domain's validation.
public enum ResourceDefinitions {
    public static func all() -> [ResourceDefinition] {
        [cluster(), propagationPolicy(), placementPolicy(), overridePolicy(), workload()]
    }

    /// Clusters arrive with credentials already sealed by the gateway into
    /// `encryptedCredentials`; the controller stores that blob as it is.
    static func cluster() -> ResourceDefinition {
        ResourceDefinition(
            kind: .cluster,
            validateNew: { input in
                let (rest, sealed) = separateSealedCredentials(input)
                var cluster = try domain { try Cluster.validate(rest) }
                cluster.encryptedCredentials = sealed ?? nil
                return (cluster.name, try stored(cluster))
            },
            applyPatch: { current, patch in
                let (rest, sealed) = separateSealedCredentials(patch)
                let changes = try domain { try ClusterPatch.validate(rest) }
                var cluster = try WireJSON.decode(Cluster.self, from: WireJSON.encode(current))
                cluster = try changes.applied(to: cluster) { _ in
                    throw APIRejection(code: "INTERNAL_ERROR", message: "credentials reached the controller unsealed")
                }
                if let sealed { cluster.encryptedCredentials = sealed }
                return try stored(cluster)
            })
    }

    static func propagationPolicy() -> ResourceDefinition {
        ResourceDefinition(
            kind: .propagationPolicy,
            validateNew: { input in
                let policy = try domain { try PropagationPolicy.validate(input) }
                return (policy.name, policy.jsonValue())
            },
            applyPatch: { current, patch in
                if patch["name"] != nil && patch["name"] != current["name"] {
                    throw APIRejection.validation([(field: "name", message: "cannot be changed because it identifies the policy")])
                }
                let merged = JSONMergePatch.apply(patch, to: current)
                return try domain { try PropagationPolicy.validate(merged) }.jsonValue()
            })
    }

    static func placementPolicy() -> ResourceDefinition {
        ResourceDefinition(
            kind: .placementPolicy,
            validateNew: { input in
                let policy = try domain { try ResourcePlacementPolicy.validate(input) }
                return (policy.metadata.name, policy.jsonValue())
            },
            applyPatch: nil)
    }

    static func overridePolicy() -> ResourceDefinition {
        ResourceDefinition(
            kind: .overridePolicy,
            validateNew: { input in
                let policy = try domain { try ClusterOverridePolicy.validate(input) }
                return (policy.metadata.name, policy.jsonValue())
            },
            applyPatch: nil)
    }

    static func workload() -> ResourceDefinition {
        ResourceDefinition(
            kind: .workload,
            validateNew: { input in
                let workload = try domain { try Workload.validate(input) }
                return (workload.key, workload.jsonValue())
            },
            applyPatch: nil)
    }

    // MARK: - Helpers

    /// Splits the gateway's `encryptedCredentials` from a document: `.some(nil)` when the
    /// document clears them, nil when it does not mention them.
    static func separateSealedCredentials(_ document: JSONValue) -> (JSONValue, String??) {
        guard case .object(var members) = document, let sealed = members.removeValue(forKey: "encryptedCredentials") else {
            return (document, nil)
        }
        return (.object(members), .some(sealed.stringValue))
    }

    static func stored(_ cluster: Cluster) throws -> JSONValue {
        try WireJSON.decode(JSONValue.self, from: WireJSON.encode(cluster))
    }

    static func domain<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ValidationError {
            throw error.rejection
        }
    }
}
