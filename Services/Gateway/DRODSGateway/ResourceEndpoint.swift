import DRODSAuth
import DRODSCore
import DRODSHTTP
import Foundation

/// The REST endpoints of one resource kind: list and create on the collection path; get,
/// patch and delete on the item path. Writes go to the controller as commands; reads come
/// from the `resources` read model.
struct ResourceEndpoint: Sendable {
    let kind: ResourceKind
    let collectionPath: String
    /// Item path pattern, such as `/api/v1/clusters/{name}`.
    let itemPath: String
    /// Builds the resource key from the item path's parameters.
    let key: @Sendable ([String: String]) -> String
    /// Reads the key from a new document, to keep one resource's commands on one partition.
    let keyOfDocument: @Sendable (JSONValue) -> String?
    /// The item path of a key, for the `Location` header of a created resource.
    let location: @Sendable (String) -> String
    let formats: Set<RequestDocument.Format>
    let patchable: Bool
    /// Turns a stored document from a reply into what the API returns; reads get the view the
    /// projection stored.
    let present: @Sendable (JSONValue) -> JSONValue
    /// Changes a new document or patch before it is sent, such as sealing credentials; gets
    /// the resource key when it is known.
    let prepare: @Sendable (JSONValue, String?) throws -> JSONValue

    func register(on router: inout Router, context: GatewayContext) {
        let endpoint = self
        router.get(collectionPath) { request, _ in
            try context.authorize(request, .read)
            var response = HTTPResponse(status: 200, body: try context.readModels.listBody(kind: endpoint.kind))
            response.headers["Content-Type"] = "application/json"
            return response
        }
        router.post(collectionPath) { request, _ in
            try context.authorize(request, .write)
            let input = try RequestDocument.decode(request, accepting: endpoint.formats)
            let document = try endpoint.prepare(input, endpoint.keyOfDocument(input))
            let key = endpoint.keyOfDocument(document) ?? request.requestID
            let reply = try context.dispatcher.send(
                "CreateResource", payload: .object(["kind": .string(endpoint.kind.name), "document": document]),
                to: Topics.commandsController, key: key, request: request, waitFor: context.resourceProjection)
            var response = HTTPResponse.json(201, endpoint.present(reply.result ?? .null))
            let createdKey = endpoint.keyOfDocument(reply.result ?? .null) ?? key
            response.headers["Location"] = endpoint.location(createdKey)
            return response
        }
        router.get(itemPath) { request, parameters in
            try context.authorize(request, .read)
            let key = endpoint.key(parameters)
            guard let view = try context.readModels.resource(kind: endpoint.kind, key: key) else {
                throw endpoint.notFound(key)
            }
            return .json(200, view)
        }
        if patchable {
            router.patch(itemPath) { request, parameters in
                try context.authorize(request, .write)
                let key = endpoint.key(parameters)
                let patch = try endpoint.preparePatch(try RequestDocument.decode(request, accepting: [.mergePatch, .json]),
                                                      key: key)
                let reply = try context.dispatcher.send(
                    "PatchResource",
                    payload: .object(["kind": .string(endpoint.kind.name), "key": .string(key), "patch": patch]),
                    to: Topics.commandsController, key: key, request: request, waitFor: context.resourceProjection)
                return .json(200, endpoint.present(reply.result ?? .null))
            }
        }
        router.delete(itemPath) { request, parameters in
            try context.authorize(request, .write)
            let key = endpoint.key(parameters)
            let reply = try context.dispatcher.send(
                "DeleteResource", payload: .object(["kind": .string(endpoint.kind.name), "key": .string(key)]),
                to: Topics.commandsController, key: key, request: request, waitFor: context.resourceProjection)
            return .json(200, endpoint.present(reply.result ?? .null))
        }
    }

    func notFound(_ key: String) -> APIRejection {
        APIRejection(code: kind.notFoundCode, message: "\(kind.name) \(key) not found", details: ["name": .string(key)])
    }

    /// Checks that a merge patch is an object and runs `prepare` on it, so that credentials
    /// in a patch are sealed. `null` members (removals) pass unchanged.
    private func preparePatch(_ patch: JSONValue, key: String) throws -> JSONValue {
        guard case .object = patch else {
            throw APIRejection(code: "VALIDATION_FAILED", message: "a merge patch must be a JSON object")
        }
        return try prepare(patch, key)
    }
}
