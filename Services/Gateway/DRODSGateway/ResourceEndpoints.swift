import DRODSAuth
import DRODSCore
import DRODSDomain
import Foundation

/// The resource endpoints of the API, with their paths exactly as the DRO-DS draft names them.
enum ResourceEndpoints {
    static let apisPrefix = "/apis/multicluster.io/v1alpha1"

    static func all(cipher: CredentialCipher) -> [ResourceEndpoint] {
        [clusters(cipher: cipher), propagationPolicies(),
         kubernetesStyle(.placementPolicy, plural: "resourceplacementpolicies"),
         kubernetesStyle(.overridePolicy, plural: "clusteroverridepolicies"), workloads()]
    }

    static func clusters(cipher: CredentialCipher) -> ResourceEndpoint {
        ResourceEndpoint(
            kind: .cluster, collectionPath: "/api/v1/clusters", itemPath: "/api/v1/clusters/{name}",
            key: { $0["name"] ?? "" }, keyOfDocument: { $0["name"]?.stringValue },
            location: { "/api/v1/clusters/\($0)" }, formats: [.json, .yaml], patchable: true,
            present: presentCluster,
            prepare: { document, key in try sealCredentials(document, cluster: key, cipher: cipher) })
    }

    static func propagationPolicies() -> ResourceEndpoint {
        ResourceEndpoint(
            kind: .propagationPolicy, collectionPath: "/api/v1/propagationpolicies",
            itemPath: "/api/v1/propagationpolicies/{policyName}",
            key: { $0["policyName"] ?? "" }, keyOfDocument: { $0["name"]?.stringValue },
            location: { "/api/v1/propagationpolicies/\($0)" }, formats: [.json, .yaml], patchable: true,
            present: { $0 }, prepare: { document, _ in document })
    }

    static func kubernetesStyle(_ kind: ResourceKind, plural: String) -> ResourceEndpoint {
        ResourceEndpoint(
            kind: kind, collectionPath: "\(apisPrefix)/\(plural)", itemPath: "\(apisPrefix)/\(plural)/{policyName}",
            key: { $0["policyName"] ?? "" }, keyOfDocument: { $0["metadata"]?["name"]?.stringValue },
            location: { "\(apisPrefix)/\(plural)/\($0)" }, formats: [.json, .yaml], patchable: false,
            present: { $0 }, prepare: { document, _ in document })
    }

    /// Workloads are addressed as `/api/v1/workloads/{namespace}/{kind}/{name}` with the
    /// kind in any case (`deployment`, `StatefulSet`, `job`); their key is the domain's
    /// `Kind/namespace/name`.
    static func workloads() -> ResourceEndpoint {
        ResourceEndpoint(
            kind: .workload, collectionPath: "/api/v1/workloads",
            itemPath: "/api/v1/workloads/{namespace}/{kind}/{name}",
            key: { parameters in
                let given = parameters["kind"] ?? ""
                let kind = WorkloadKind.allCases.first { $0.rawValue.lowercased() == given.lowercased() }?.rawValue ?? given
                return "\(kind)/\(parameters["namespace"] ?? "")/\(parameters["name"] ?? "")"
            },
            keyOfDocument: workloadKey,
            location: { key in
                let parts = key.split(separator: "/", maxSplits: 2).map(String.init)
                guard parts.count == 3 else { return "/api/v1/workloads" }
                return "/api/v1/workloads/\(parts[1])/\(parts[0].lowercased())/\(parts[2])"
            },
            formats: [.json, .yaml], patchable: false, present: { $0 }, prepare: { document, _ in document })
    }

    /// `Kind/namespace/name` of a workload manifest, the namespace defaulting to `default`.
    static func workloadKey(_ document: JSONValue) -> String? {
        guard let kind = document["kind"]?.stringValue, let name = document["metadata"]?["name"]?.stringValue else {
            return nil
        }
        let namespace = document["metadata"]?["namespace"]?.stringValue ?? "default"
        return "\(kind)/\(namespace)/\(name)"
    }

    // MARK: - Credentials

    /// Replaces plaintext `credentials` with `encryptedCredentials`, sealed with the cluster
    /// name as associated data so that the blob is useless under another cluster's name. A
    /// `null` (merge patch removal) clears them. Plaintext never leaves the gateway.
    static func sealCredentials(_ document: JSONValue, cluster: String?,
                                cipher: CredentialCipher) throws -> JSONValue {
        guard case .object(var members) = document, let credentials = members["credentials"] else {
            return document
        }
        members["credentials"] = nil
        if members["encryptedCredentials"] != nil {
            throw APIRejection.validation([(field: "encryptedCredentials", message: "is set by the server; send credentials instead")])
        }
        if credentials == .null {
            members["encryptedCredentials"] = .null
            return .object(members)
        }
        guard case .object(let fields) = credentials, let token = fields["token"]?.stringValue, !token.isEmpty else {
            throw APIRejection.validation([(field: "credentials.token", message: "is required: the bearer token for the cluster's API")])
        }
        let unknown = fields.keys.filter { $0 != "token" && $0 != "caData" }.sorted()
        if let field = unknown.first {
            throw APIRejection.validation([(field: "credentials.\(field)", message: "is not a known field; use token and caData")])
        }
        if let caData = fields["caData"], caData.stringValue == nil {
            throw APIRejection.validation([(field: "credentials.caData", message: "must be a string of base64 PEM data")])
        }
        guard let cluster, !cluster.isEmpty else {
            throw APIRejection.validation([(field: "name", message: "is required")])
        }
        let plaintext = try WireJSON.encode(credentials)
        members["encryptedCredentials"] = .string(try cipher.seal(plaintext, associatedData: Data(cluster.utf8)))
        return .object(members)
    }

    /// A cluster as the API returns it: the sealed credentials are replaced by
    /// `hasCredentials`. A stored document that does not decode is shown without any field
    /// that could hold credentials.
    static func presentCluster(_ document: JSONValue) -> JSONValue {
        if let data = try? WireJSON.encode(document), let cluster = try? WireJSON.decode(Cluster.self, from: data) {
            return cluster.jsonValue()
        }
        guard case .object(var members) = document else { return document }
        members["encryptedCredentials"] = nil
        members["credentials"] = nil
        return .object(members)
    }
}
