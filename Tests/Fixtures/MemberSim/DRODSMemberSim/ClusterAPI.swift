import DRODSCore
import DRODSHTTP
import DRODSYAML
import Foundation

/// The Kubernetes API subset of every simulated cluster, under `/clusters/<name>`. The caller
/// has already applied the cluster's fault and checked its bearer token, so handlers only
/// translate between HTTP and `ClusterState`.
struct ClusterAPI: Sendable {
    let clusters: [String: SimulatedCluster]
    let background: BackgroundLoad
    let router: Router

    init(clusters: [String: SimulatedCluster], background: BackgroundLoad) {
        self.clusters = clusters
        self.background = background
        router = Self.makeRouter(clusters: clusters, background: background)
    }

    /// Routes a request. Paths and methods the router does not know get a `Status` body too,
    /// because clients of this API parse only that error shape.
    func handle(_ request: HTTPRequest) throws -> HTTPResponse {
        let response = try router.handle(request)
        if response.status == 404, (try? WireJSON.decode(APIErrorBody.self, from: response.body)) != nil {
            return KubeStatus(code: 404, reason: "NotFound",
                              message: "the server could not find the requested resource (\(request.method) \(request.path))")
                .response
        }
        if response.status == 405, (try? WireJSON.decode(APIErrorBody.self, from: response.body)) != nil {
            var status = KubeStatus.methodNotAllowed(request.method, path: request.path).response
            status.headers["Allow"] = response.headers["Allow"]
            return status
        }
        return response
    }

    // MARK: - Routes

    private static func makeRouter(clusters: [String: SimulatedCluster], background: BackgroundLoad) -> Router {
        var router = Router()
        let prefix = "/clusters/{cluster}"

        router.get("\(prefix)/version") { _, _ in .json(200, Discovery.version()) }
        router.get("\(prefix)/api") { request, _ in
            // The address the client reached, because the port is known only after binding.
            .json(200, Discovery.coreVersions(serverAddress: request.headers["Host"] ?? "127.0.0.1"))
        }
        router.get("\(prefix)/apis") { _, _ in .json(200, Discovery.groups()) }
        router.get("\(prefix)/api/{version}") { request, parameters in
            resourceList(group: "", version: parameters["version"]!, request: request)
        }
        router.get("\(prefix)/apis/{group}/{version}") { request, parameters in
            resourceList(group: parameters["group"]!, version: parameters["version"]!, request: request)
        }
        router.get("\(prefix)/simulator/usage") { request, parameters in
            try respond {
                let cluster = clusters[parameters["cluster"]!]!
                return .json(200, try UsageReport.make(cluster: cluster, background: background, query: request.query))
            }
        }

        // Collections and objects, for the core group (`/api/v1`) and named groups (`/apis/<g>/<v>`).
        for base in ["\(prefix)/api/{version}", "\(prefix)/apis/{group}/{version}"] {
            router.get("\(base)/{resource}") { request, parameters in
                try respond { try list(request, parameters, namespaced: false, clusters: clusters) }
            }
            router.post("\(base)/{resource}") { request, parameters in
                try respond { try create(request, parameters, namespaced: false, clusters: clusters) }
            }
            router.get("\(base)/namespaces/{namespace}/{resource}") { request, parameters in
                try respond { try list(request, parameters, namespaced: true, clusters: clusters) }
            }
            router.post("\(base)/namespaces/{namespace}/{resource}") { request, parameters in
                try respond { try create(request, parameters, namespaced: true, clusters: clusters) }
            }
            for namespaced in [false, true] {
                let path = namespaced ? "\(base)/namespaces/{namespace}/{resource}/{name}" : "\(base)/{resource}/{name}"
                for method in ["GET", "PUT", "PATCH", "DELETE"] {
                    router.add(method, path) { request, parameters in
                        try respond { try object(request, parameters, namespaced: namespaced, clusters: clusters) }
                    }
                }
            }
            for method in ["GET", "PUT", "PATCH"] {
                router.add(method, "\(base)/namespaces/{namespace}/{resource}/{name}/scale") { request, parameters in
                    try respond { try scale(request, parameters, clusters: clusters) }
                }
            }
        }
        return router
    }

    private static func respond(_ body: () throws -> HTTPResponse) throws -> HTTPResponse {
        do {
            return try body()
        } catch let status as KubeStatus {
            return status.response
        }
    }

    private static func resourceList(group: String, version: String, request: HTTPRequest) -> HTTPResponse {
        guard let list = Discovery.resources(group: group, version: version) else {
            return KubeStatus(code: 404, reason: "NotFound",
                              message: "the server could not find the requested resource (\(request.path))").response
        }
        return .json(200, list)
    }

    // MARK: - Verbs

    /// The cluster and resource a request addresses, checked against the path's scope.
    private struct Target {
        let cluster: SimulatedCluster
        let resource: ResourceType
        let namespace: String?
    }

    private static func target(_ parameters: [String: String], namespaced: Bool, request: HTTPRequest,
                               clusters: [String: SimulatedCluster]) throws -> Target {
        let cluster = clusters[parameters["cluster"]!]!
        let group = parameters["group"] ?? ""
        let version = parameters["version"]!
        guard let resource = ResourceType.find(group: group, version: version, plural: parameters["resource"]!),
              !namespaced || resource.namespaced else {
            throw KubeStatus(code: 404, reason: "NotFound",
                             message: "the server could not find the requested resource (\(request.method) \(request.path))")
        }
        return Target(cluster: cluster, resource: resource, namespace: namespaced ? parameters["namespace"] : nil)
    }

    private static func list(_ request: HTTPRequest, _ parameters: [String: String], namespaced: Bool,
                             clusters: [String: SimulatedCluster]) throws -> HTTPResponse {
        let target = try target(parameters, namespaced: namespaced, request: request, clusters: clusters)
        if let watch = request.query["watch"], watch == "true" || watch == "1" {
            throw KubeStatus.methodNotAllowed("watch", path: request.path)
        }
        var selector: LabelSelector?
        if let text = request.query["labelSelector"] {
            guard let parsed = LabelSelector(text) else {
                throw KubeStatus.badRequest("unable to parse labelSelector \"\(text)\": only key=value, key!=value, "
                                                + "key and !key terms are supported")
            }
            selector = parsed
        }
        let list = target.cluster.withState { state in
            state.list(target.resource, namespace: target.namespace, selector: selector)
        }
        return .json(200, list)
    }

    private static func create(_ request: HTTPRequest, _ parameters: [String: String], namespaced: Bool,
                               clusters: [String: SimulatedCluster]) throws -> HTTPResponse {
        let target = try target(parameters, namespaced: namespaced, request: request, clusters: clusters)
        try requireWritable(target.resource, request: request)
        if target.resource.namespaced && !namespaced {
            throw KubeStatus.methodNotAllowed(request.method, path: request.path)
        }
        let body = try decodeBody(request)
        let created = try target.cluster.withState { state in
            try state.create(target.resource, namespace: target.namespace, body: body, now: Date())
        }
        return .json(201, created)
    }

    private static func object(_ request: HTTPRequest, _ parameters: [String: String], namespaced: Bool,
                               clusters: [String: SimulatedCluster]) throws -> HTTPResponse {
        let target = try target(parameters, namespaced: namespaced, request: request, clusters: clusters)
        if target.resource.namespaced && !namespaced {
            throw KubeStatus(code: 404, reason: "NotFound",
                             message: "\(target.resource.qualifiedName) is namespaced; use "
                                 + "/namespaces/<namespace>/\(target.resource.plural)/<name>")
        }
        let name = parameters["name"]!
        let resource = target.resource
        let namespace = target.namespace
        switch request.method.uppercased() {
        case "GET", "HEAD":
            return .json(200, try target.cluster.withState { try $0.get(resource, namespace: namespace, name: name) })
        case "PUT":
            try requireWritable(resource, request: request)
            let body = try decodeBody(request)
            return .json(200, try target.cluster.withState {
                try $0.replace(resource, namespace: namespace, name: name, body: body, now: Date())
            })
        case "PATCH":
            try requireWritable(resource, request: request)
            let patch = try decodePatch(request)
            return .json(200, try target.cluster.withState {
                try $0.patch(resource, namespace: namespace, name: name, patch: patch, now: Date())
            })
        default:
            try requireWritable(resource, request: request)
            return .json(200, try target.cluster.withState {
                try $0.delete(resource, namespace: namespace, name: name, now: Date())
            })
        }
    }

    /// Serves the `autoscaling/v1` Scale view of a deployment or statefulset.
    private static func scale(_ request: HTTPRequest, _ parameters: [String: String],
                              clusters: [String: SimulatedCluster]) throws -> HTTPResponse {
        let target = try target(parameters, namespaced: true, request: request, clusters: clusters)
        guard target.resource.hasScaleSubresource else {
            throw KubeStatus(code: 404, reason: "NotFound",
                             message: "\(target.resource.qualifiedName) has no scale subresource")
        }
        let name = parameters["name"]!
        let method = request.method.uppercased()
        var body: JSONValue?
        if method == "PUT" {
            body = try decodeBody(request)
        } else if method == "PATCH" {
            body = try decodePatch(request)
        }
        let workload = try target.cluster.withState { state -> JSONValue in
            let current = try state.get(target.resource, namespace: target.namespace, name: name)
            guard let body else { return current }
            let requested = method == "PUT" ? body : JSONMergePatch.apply(body, to: Self.scaleView(of: current))
            guard let replicas = requested.value(at: ["spec", "replicas"])?.intValue, replicas >= 0 else {
                throw KubeStatus.invalid(target.resource, name: name, "spec.replicas: must be a non-negative integer")
            }
            var patch: JSONValue = .object([:])
            patch.set(.number(Double(replicas)), at: ["spec", "replicas"])
            if let version = requested.value(at: ["metadata", "resourceVersion"]), method == "PUT" {
                patch.set(version, at: ["metadata", "resourceVersion"])
            }
            return try state.patch(target.resource, namespace: target.namespace, name: name, patch: patch, now: Date())
        }
        return .json(200, scaleView(of: workload))
    }

    private static func scaleView(of workload: JSONValue) -> JSONValue {
        var metadata: [String: JSONValue] = [:]
        for field in ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"] {
            metadata[field] = workload.value(at: ["metadata", field])
        }
        let labels = workload.stringMap(at: ["spec", "selector", "matchLabels"])
        let selector = labels.keys.sorted().map { "\($0)=\(labels[$0]!)" }.joined(separator: ",")
        return .object([
            "apiVersion": .string("autoscaling/v1"), "kind": .string("Scale"),
            "metadata": .object(metadata),
            "spec": .object(["replicas": workload.value(at: ["spec", "replicas"]) ?? .number(0)]),
            "status": .object([
                "replicas": workload.value(at: ["status", "replicas"]) ?? .number(0),
                "selector": .string(selector),
            ]),
        ])
    }

    private static func requireWritable(_ resource: ResourceType, request: HTTPRequest) throws {
        guard resource.writable else {
            throw KubeStatus.methodNotAllowed(request.method, path: request.path)
        }
    }

    // MARK: - Bodies

    /// Decodes a JSON body, or a YAML one when the content type names YAML.
    private static func decodeBody(_ request: HTTPRequest) throws -> JSONValue {
        let contentType = request.headers["Content-Type"]?.lowercased() ?? "application/json"
        let text = String(decoding: request.body, as: UTF8.self)
        if contentType.contains("yaml") {
            do {
                return try YAMLDecoder.parseSingle(text)
            } catch {
                throw KubeStatus.badRequest("the request body is not valid YAML: \(error)")
            }
        }
        do {
            return try WireJSON.decode(JSONValue.self, from: request.body)
        } catch {
            throw KubeStatus.badRequest("the request body is not valid JSON")
        }
    }

    /// Decodes a merge patch or strategic merge patch; other patch types get 415.
    private static func decodePatch(_ request: HTTPRequest) throws -> JSONValue {
        let contentType = request.headers["Content-Type"]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/merge-patch+json")
            || contentType.hasPrefix("application/strategic-merge-patch+json") else {
            throw KubeStatus(code: 415, reason: "UnsupportedMediaType",
                             message: "patch content type \"\(contentType)\" is not supported; use "
                                 + "application/merge-patch+json or application/strategic-merge-patch+json")
        }
        return try decodeBody(request)
    }
}
