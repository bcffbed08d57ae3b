import DRODSAuth
import DRODSCore
import DRODSEventStore
import DRODSHTTP
import DRODSMessaging
import DRODSRuntime
import Foundation

/// The API gateway: serves the REST API, authenticates every call, and owns no state.
public enum GatewayService {
    public static let name = "gateway"
    public static let defaultAdminPort = 9101

    public static func makeRuntime(environment: Environment) throws -> ServiceRuntime {
        try ServiceRuntime(service: name, defaultAdminPort: defaultAdminPort, environment: environment)
    }

    /// Reads the gateway's own settings first, so that a bad one stops the process at start.
    public static func prepare(environment: Environment) throws -> @Sendable (ServiceContext) throws -> [Worker] {
        let gateway = try GatewayConfiguration.fromEnvironment(environment)
        return { context in try workers(context, gateway: gateway) }
    }

    static func workers(_ context: ServiceContext, gateway: GatewayConfiguration) throws -> [Worker] {
        let verifier = try TokenVerifier(configuration: gateway.auth)
        let client = try CommandClient(configuration: context.configuration.kafka,
                                       commandTopics: [Topics.commandsController, Topics.commandsScheduler,
                                                       Topics.commandsMonitor],
                                       logger: context.logger, metrics: context.metrics)
        let progress = ProjectionProgress(pool: context.pool)
        let dispatcher = CommandDispatcher(client: client, progress: progress, timeout: gateway.commandTimeout,
                                           logger: context.logger)
        let readModels = ReadModels(pool: context.pool, projection: ResourceProjectionName.value, progress: progress,
                                    logger: context.logger)
        let handlers = GatewayContext(dispatcher: dispatcher, readModels: readModels,
                                      authorizer: Authorizer(), cipher: gateway.cipher,
                                      producer: context.producer, resourceProjection: ResourceProjectionName.value)
        let router = GatewayRoutes.build(context: handlers, cipher: gateway.cipher)
        let api = GatewayAPI(router: router, verifier: verifier,
                             rateLimiter: RateLimiter(ratePerSecond: gateway.rateLimitPerSecond,
                                                      burst: gateway.rateLimitBurst),
                             audit: AuditTrail(producer: context.producer, logger: context.logger),
                             logger: context.logger)
        let server = try HTTPServer(configuration: gateway.http, logger: context.logger,
                                    metrics: context.metrics) { request, responder in
            api.handle(request, responder: responder)
        }
        if let file = gateway.portFile { try PortFile.write(server.port, to: file) }
        context.logger.info("API listening", [.address: "\(gateway.http.host):\(server.port)",
                                              "tls": String(gateway.http.usesTLS)])
        let postgresURL = context.configuration.postgresURL
        let logger = context.logger
        return [
            Worker(name: "projection-progress") { stop in
                progress.listen(url: postgresURL, stop: stop, logger: logger)
            },
            Worker(name: "api-server") { stop in
                stop.wait()
                server.stop()
                client.close()
            },
        ]
    }
}
