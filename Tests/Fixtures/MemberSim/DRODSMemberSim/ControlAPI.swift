import DRODSCore
import DRODSHTTP
import Foundation

/// The simulator's own API under `/simulator`, guarded by the admin token: list the clusters
/// and read or switch each one's fault. Errors use the project's `{"code","message"}` body.
struct ControlAPI: Sendable {
    let router: Router

    init(clusters: [String: SimulatedCluster], logger: Logger) {
        var router = Router()
        router.get("/simulator/clusters") { _, _ in
            let items = clusters.keys.sorted().map { name -> JSONValue in
                let cluster = clusters[name]!
                return .object(["name": .string(name), "region": .string(cluster.spec.region),
                                "zone": .string(cluster.spec.zone), "fault": cluster.fault.json])
            }
            return .json(200, JSONValue.object(["clusters": .array(items)]))
        }
        router.get("/simulator/clusters/{name}/fault") { _, parameters in
            guard let cluster = clusters[parameters["name"]!] else { return Self.unknownCluster(parameters["name"]!) }
            return .json(200, cluster.fault.json)
        }
        router.put("/simulator/clusters/{name}/fault") { request, parameters in
            let name = parameters["name"]!
            guard let cluster = clusters[name] else { return Self.unknownCluster(name) }
            let fault: Fault
            do {
                fault = try Fault(json: try request.decodeJSON(JSONValue.self))
            } catch let error as FaultError {
                return .error(status: 400, code: "INVALID_FAULT", message: error.description)
            } catch {
                return .error(status: 400, code: "INVALID_JSON",
                              message: "the request body is not JSON such as {\"mode\": \"down\"}")
            }
            cluster.setFault(fault)
            logger.info("fault switched", ["cluster": name, "fault.mode": fault.mode])
            return .json(200, fault.json)
        }
        self.router = router
    }

    private static func unknownCluster(_ name: String) -> HTTPResponse {
        .error(status: 404, code: "NOT_FOUND", message: "no simulated cluster is named \"\(name)\"",
               details: ["cluster": .string(name)])
    }
}
