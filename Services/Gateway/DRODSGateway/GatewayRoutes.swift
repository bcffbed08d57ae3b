import DRODSAuth
import DRODSCore
import DRODSEventStore
import DRODSHTTP
import DRODSMessaging

/// Every route of the public API.
enum GatewayRoutes {
    static func build(context: GatewayContext, cipher: CredentialCipher) -> Router {
        var router = Router()
        for endpoint in ResourceEndpoints.all(cipher: cipher) {
            endpoint.register(on: &router, context: context)
        }
        BindingEndpoints.register(on: &router, context: context)
        DataPlaneEndpoints.register(on: &router, context: context)
        MonitorEndpoints.register(on: &router, context: context)
        HistoryEndpoints.register(on: &router, context: context)
        OpenAPIEndpoint.register(on: &router, context: context)
        return router
    }
}

/// The API's routes as `METHOD /pattern` strings, from a router built with real clients of
/// the given Kafka and PostgreSQL; used to check the OpenAPI document against the router.
public enum GatewayRouteTable {
    public static func routes(kafka: KafkaConfiguration, postgresURL: String, logger: Logger) throws -> [String] {
        let client = try CommandClient(configuration: kafka, logger: logger)
        defer { client.close() }
        let producer = try KafkaProducer(configuration: kafka, logger: logger)
        defer { producer.close() }
        let pool = ConnectionPool(url: postgresURL, maxConnections: 1)
        defer { pool.close() }
        let progress = ProjectionProgress(pool: pool)
        let cipher = try CredentialCipher(key: [UInt8](repeating: 0, count: 32))
        let context = GatewayContext(
            dispatcher: CommandDispatcher(client: client, progress: progress, timeout: 1, logger: logger),
            readModels: ReadModels(pool: pool, projection: ResourceProjectionName.value, progress: progress), authorizer: Authorizer(), cipher: cipher, producer: producer,
            resourceProjection: ResourceProjectionName.value)
        return GatewayRoutes.build(context: context, cipher: cipher).registeredRoutes
            .map { "\($0.method) \($0.pattern)" }
    }
}

enum ResourceProjectionName {
    /// Checkpoint name of the history service's resource projection.
    static let value = "read-model:resources"
}
