import DRODSCore
import DRODSHTTP

/// The OpenAPI 3 description of the REST API. The operations are listed by hand, not derived
/// from the router, so that a test comparing the two catches a route without documentation
/// and documentation without a route.
public enum OpenAPIDocument {
    struct Operation {
        let method: String
        let path: String
        let summary: String
        let success: Int
        let hasBody: Bool
    }

    static let operations: [Operation] = [
        Operation(method: "GET", path: "/api/v1/clusters", summary: "List registered clusters", success: 200, hasBody: false),
        Operation(method: "POST", path: "/api/v1/clusters", summary: "Register a cluster", success: 201, hasBody: true),
        Operation(method: "GET", path: "/api/v1/clusters/{name}", summary: "Get one cluster", success: 200, hasBody: false),
        Operation(method: "PATCH", path: "/api/v1/clusters/{name}", summary: "Change a cluster with a JSON merge patch", success: 200, hasBody: true),
        Operation(method: "DELETE", path: "/api/v1/clusters/{name}", summary: "Deregister a cluster", success: 200, hasBody: false),
        Operation(method: "GET", path: "/api/v1/propagationpolicies", summary: "List propagation policies", success: 200, hasBody: false),
        Operation(method: "POST", path: "/api/v1/propagationpolicies", summary: "Create a propagation policy", success: 201, hasBody: true),
        Operation(method: "GET", path: "/api/v1/propagationpolicies/{policyName}", summary: "Get one propagation policy", success: 200, hasBody: false),
        Operation(method: "PATCH", path: "/api/v1/propagationpolicies/{policyName}", summary: "Change a propagation policy with a JSON merge patch", success: 200, hasBody: true),
        Operation(method: "DELETE", path: "/api/v1/propagationpolicies/{policyName}", summary: "Delete a propagation policy", success: 200, hasBody: false),
        Operation(method: "GET", path: "/apis/multicluster.io/v1alpha1/resourceplacementpolicies", summary: "List resource placement policies", success: 200, hasBody: false),
        Operation(method: "POST", path: "/apis/multicluster.io/v1alpha1/resourceplacementpolicies", summary: "Create a resource placement policy (JSON or YAML)", success: 201, hasBody: true),
        Operation(method: "GET", path: "/apis/multicluster.io/v1alpha1/resourceplacementpolicies/{policyName}", summary: "Get one resource placement policy", success: 200, hasBody: false),
        Operation(method: "DELETE", path: "/apis/multicluster.io/v1alpha1/resourceplacementpolicies/{policyName}", summary: "Delete a resource placement policy", success: 200, hasBody: false),
        Operation(method: "GET", path: "/apis/multicluster.io/v1alpha1/clusteroverridepolicies", summary: "List cluster override policies", success: 200, hasBody: false),
        Operation(method: "POST", path: "/apis/multicluster.io/v1alpha1/clusteroverridepolicies", summary: "Create a cluster override policy (JSON or YAML)", success: 201, hasBody: true),
        Operation(method: "GET", path: "/apis/multicluster.io/v1alpha1/clusteroverridepolicies/{policyName}", summary: "Get one cluster override policy", success: 200, hasBody: false),
        Operation(method: "DELETE", path: "/apis/multicluster.io/v1alpha1/clusteroverridepolicies/{policyName}", summary: "Delete a cluster override policy", success: 200, hasBody: false),
        Operation(method: "GET", path: "/api/v1/workloads", summary: "List workloads", success: 200, hasBody: false),
        Operation(method: "POST", path: "/api/v1/workloads", summary: "Submit a Deployment, StatefulSet or Job manifest (JSON or YAML)", success: 201, hasBody: true),
        Operation(method: "GET", path: "/api/v1/workloads/{namespace}/{kind}/{name}", summary: "Get one workload", success: 200, hasBody: false),
        Operation(method: "DELETE", path: "/api/v1/workloads/{namespace}/{kind}/{name}", summary: "Delete a workload", success: 200, hasBody: false),
        Operation(method: "GET", path: "/api/v1/bindings", summary: "List scheduling tasks", success: 200, hasBody: false),
        Operation(method: "POST", path: "/api/v1/bindings", summary: "Submit a scheduling task; answers with its status URL", success: 202, hasBody: true),
        Operation(method: "GET", path: "/api/v1/bindings/{bindingId}/status", summary: "Get a scheduling task's state and placement", success: 200, hasBody: false),
        Operation(method: "PUT", path: "/api/v1/metrics", summary: "Report a cluster's resource metrics", success: 202, hasBody: true),
        Operation(method: "POST", path: "/api/v1/metrics/events", summary: "Report a cluster event", success: 202, hasBody: true),
        Operation(method: "PUT", path: "/api/v1/sync/configs", summary: "Synchronise a cluster's configuration objects", success: 200, hasBody: true),
        Operation(method: "POST", path: "/api/v1/sync/batch", summary: "Synchronise the status of up to 1,000 objects", success: 200, hasBody: true),
        Operation(method: "GET", path: "/api/v1/clusters/{name}/works", summary: "List the manifests a cluster must run, for its agent", success: 200, hasBody: false),
        Operation(method: "GET", path: "/api/v1/monitor/realtime", summary: "Get the live view of every cluster", success: 200, hasBody: false),
        Operation(method: "GET", path: "/api/v1/history/schedules", summary: "Page through scheduling history", success: 200, hasBody: false),
        Operation(method: "GET", path: "/api/v1/history/failures", summary: "Page through failure history", success: 200, hasBody: false),
        Operation(method: "GET", path: "/api/v1/audit", summary: "Page through the audit log (admins only)", success: 200, hasBody: false),
        Operation(method: "GET", path: "/api/v1/openapi.json", summary: "Get this document", success: 200, hasBody: false),
    ]

    static let historyParameters: [JSONValue] = [
        query("startTime", "Start of the window, ISO 8601 (inclusive)"),
        query("endTime", "End of the window, ISO 8601 (exclusive)"),
        query("maxEntries", "Entries per page, 1 to 1000 (default 100)"),
        query("cursor", "The nextCursor of the previous page"),
    ]

    /// Returns the document as JSON.
    public static func json() -> JSONValue {
        var paths: [String: [String: JSONValue]] = [:]
        for operation in operations {
            var parameters: [JSONValue] = operation.path.split(separator: "/")
                .filter { $0.hasPrefix("{") }
                .map { segment in
                    .object(["name": .string(String(segment.dropFirst().dropLast())), "in": .string("path"),
                             "required": .bool(true), "schema": .object(["type": .string("string")])])
                }
            if operation.path.hasPrefix("/api/v1/history/") || operation.path == "/api/v1/audit" {
                parameters += historyParameters
            }
            var item: [String: JSONValue] = [
                "summary": .string(operation.summary),
                "parameters": .array(parameters),
                "responses": .object(responses(success: operation.success)),
            ]
            if operation.hasBody {
                let schema = JSONValue.object(["type": .string("object")])
                var content: [String: JSONValue] = ["application/json": .object(["schema": schema])]
                if operation.method == "PATCH" {
                    content = ["application/merge-patch+json": .object(["schema": schema])]
                } else if operation.summary.contains("YAML") || operation.path.hasSuffix("clusters")
                            || operation.path.hasSuffix("propagationpolicies") || operation.path.hasSuffix("bindings") {
                    content["application/yaml"] = .object(["schema": schema])
                }
                item["requestBody"] = .object(["required": .bool(true), "content": .object(content)])
            }
            paths[operation.path, default: [:]][operation.method.lowercased()] = .object(item)
        }
        return .object([
            "openapi": .string("3.0.3"),
            "info": .object(["title": .string("DRO-DS control plane API"), "version": .string("v1")]),
            "security": .array([.object(["bearer": .array([])])]),
            "components": .object([
                "securitySchemes": .object(["bearer": .object([
                    "type": .string("http"), "scheme": .string("bearer"), "bearerFormat": .string("JWT"),
                ])]),
                "schemas": .object(["Error": .object([
                    "type": .string("object"), "required": .array([.string("code"), .string("message")]),
                    "properties": .object([
                        "code": .object(["type": .string("string")]),
                        "message": .object(["type": .string("string")]),
                        "details": .object(["type": .string("object")]),
                    ]),
                ])]),
            ]),
            "paths": .object(paths.mapValues { .object($0) }),
        ])
    }

    private static func query(_ name: String, _ description: String) -> JSONValue {
        .object(["name": .string(name), "in": .string("query"), "required": .bool(false),
                 "description": .string(description), "schema": .object(["type": .string("string")])])
    }

    private static func responses(success: Int) -> [String: JSONValue] {
        let error = JSONValue.object(["description": .string("Error"), "content": .object([
            "application/json": .object(["schema": .object(["$ref": .string("#/components/schemas/Error")])]),
        ])])
        var responses: [String: JSONValue] = [String(success): .object(["description": .string("Success")])]
        for status in ["400", "401", "403", "404", "409", "413", "415", "429", "504"] { responses[status] = error }
        return responses
    }
}

/// Serves the OpenAPI document.
enum OpenAPIEndpoint {
    static func register(on router: inout Router, context: GatewayContext) {
        router.get("/api/v1/openapi.json") { request, _ in
            try context.authorize(request, .read)
            return .json(200, OpenAPIDocument.json())
        }
    }
}
