import DRODSAuth
import DRODSCore
import DRODSDomain
import DRODSHTTP
import DRODSMessaging
import Foundation

/// The data plane API that member-cluster agents call: metrics reports, cluster events,
/// status synchronisation and the works to apply. An agent token may report for, and pull the
/// works of, its own cluster only; admins may report for any cluster.
enum DataPlaneEndpoints {
    static func register(on router: inout Router, context: GatewayContext) {
        registerWorks(on: &router, context: context)
        router.add("PUT", "/api/v1/metrics", responding: { request, _, responder in
            let input = try Self.metricsDocument(request)
            let report = try validated { try MetricsReport.validate(input, now: Date()) }
            try context.authorize(request, .reportMetrics(cluster: report.cluster))
            let value = try WireJSON.encode(report.jsonValue())
            let cluster = report.cluster
            // The 202 waits for Kafka's acknowledgement, so that no 202 is sent for a report
            // Kafka has not stored. The connection waits suspended, not on a server thread. The
            // completion runs on the producer's poll thread, so it leaves building the response
            // (and the audit record) to the server's workers.
            context.producer.send(topic: Topics.metricsRaw, key: cluster, value: value,
                                  headers: ["drods-report": "metrics", "drods-request-id": request.requestID],
                                  timeout: 5) { result in
                switch result {
                case .success:
                    responder.respond(building: {
                        .json(202, JSONValue.object(["accepted": .bool(true), "cluster": .string(cluster)]))
                    })
                case .failure:
                    // Not logged per report: a broker outage would write thousands of lines a
                    // second. The 503s count in drods_http_requests_total, and delivery
                    // failures in drods_kafka_delivery_failed_total.
                    responder.respond(building: {
                        APIErrorStatus.response(APIRejection(
                            code: "UNAVAILABLE", message: "the metrics topic did not accept the report; retry"))
                    })
                }
            }
        })
        router.post("/api/v1/metrics/events") { request, _ in
            let input = try RequestDocument.decode(request, accepting: [.json])
            let report = try validated { try ClusterEventReport.validate(input, now: Date()) }
            try context.authorize(request, .reportMetrics(cluster: report.cluster))
            let reply = try context.dispatcher.send(
                "RecordClusterEvent", payload: report.jsonValue(), to: Topics.commandsMonitor,
                key: report.cluster, request: request, waitFor: "read-model:failures")
            return .json(202, JSONValue.object(["accepted": .bool(true), "cluster": .string(report.cluster),
                                                "sequence": .number(Double(reply.sequence ?? 0))]))
        }
        router.put("/api/v1/sync/configs") { request, _ in
            let input = try RequestDocument.decode(request, accepting: [.json])
            let configs = try validated { try SyncConfigs.validate(input) }
            try context.authorize(request, .reportMetrics(cluster: configs.cluster))
            let reply = try context.dispatcher.send(
                "SyncClusterConfigs", payload: configs.jsonValue(), to: Topics.commandsController,
                key: configs.cluster, request: request)
            return .json(200, JSONValue.object(["cluster": .string(configs.cluster),
                                                "configs": .number(Double(configs.configs.count)),
                                                "version": .number(Double(reply.version ?? 0))]))
        }
        router.post("/api/v1/sync/batch") { request, _ in
            let input = try RequestDocument.decode(request, accepting: [.json])
            let batch = try validated { try SyncBatch.validate(input) }
            try context.authorize(request, .reportMetrics(cluster: batch.cluster))
            let reply = try context.dispatcher.send(
                "SyncClusterStatus", payload: batch.jsonValue(), to: Topics.commandsController,
                key: batch.cluster, request: request)
            return .json(200, JSONValue.object(["cluster": .string(batch.cluster),
                                                "objects": .number(Double(batch.objects.count)),
                                                "version": .number(Double(reply.version ?? 0))]))
        }
    }

    /// `GET /api/v1/clusters/{name}/works`: the manifests the cluster must run, one per
    /// workload placed on it, with the version of each.
    static func registerWorks(on router: inout Router, context: GatewayContext) {
        router.get("/api/v1/clusters/{name}/works") { request, parameters in
            let cluster = parameters["name"] ?? ""
            try context.authorize(request, .pullWorks(cluster: cluster))
            let rows = try context.readModels.pool.withConnection { connection in
                try connection.query(
                    "SELECT workload, version, manifest::text FROM works WHERE cluster = $1 ORDER BY workload",
                    [cluster]).rows
            }
            let works = try rows.map { row -> JSONValue in
                .object(["workload": .string(row[0] ?? ""), "version": .number(Double(row[1].flatMap(Int.init) ?? 0)),
                         "manifest": try ReadModels.decode(row[2])])
            }
            return .json(200, JSONValue.object(["cluster": .string(cluster), "works": .array(works)]))
        }
    }

    /// Returns the report as JSON: the request's JSON body, or its Prometheus text exposition
    /// (`text/plain`) turned into the same fields.
    static func metricsDocument(_ request: HTTPRequest) throws -> JSONValue {
        let contentType = (request.headers["Content-Type"] ?? "").split(separator: ";").first
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard contentType == "text/plain" else { return try RequestDocument.decode(request, accepting: [.json]) }
        guard let text = String(data: request.body, encoding: .utf8) else {
            throw APIRejection(code: "VALIDATION_FAILED", message: "the Prometheus text is not UTF-8")
        }
        do {
            return try PrometheusReport.report(from: text, now: Date())
        } catch let error as PrometheusReport.ParseError {
            throw APIRejection(code: "VALIDATION_FAILED", message: "the Prometheus text cannot be read: \(error)",
                               details: ["line": .number(Double(error.line))])
        }
    }

    /// Runs a domain validation and turns its field errors into the API's rejection.
    static func validated<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ValidationError {
            throw APIRejection.validation(error.errors.map { (field: $0.field, message: $0.message) })
        }
    }
}
