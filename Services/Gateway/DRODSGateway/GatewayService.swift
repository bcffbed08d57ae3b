import DRODSAuth
import DRODSCore
import DRODSHTTP
import DRODSRuntime
import Foundation

/// The API gateway: serves the REST API, authenticates every call, and owns no state.
public enum GatewayService {
    public static let name = "gateway"
    public static let defaultAdminPort = 9101

    public static func makeRuntime(environment: Environment) throws -> ServiceRuntime {
        let configuration = try ServiceConfiguration.fromEnvironment(
            service: name, defaultAdminPort: defaultAdminPort, environment: environment)
        let logger = Logger(service: name, level: configuration.logLevel)
        return ServiceRuntime(configuration: configuration, logger: logger)
    }

    /// Reads the gateway's own settings first, so that a bad one stops the process at start.
    public static func prepare(environment: Environment) throws -> @Sendable (ServiceContext) throws -> [Worker] {
        let gateway = try GatewayConfiguration.fromEnvironment(environment)
        return { context in try workers(context, gateway: gateway) }
    }

    static func workers(_ context: ServiceContext, gateway: GatewayConfiguration) throws -> [Worker] {
        let verifier = try TokenVerifier(configuration: gateway.auth)
        // TODO: register the draft's resource routes here once the owners handle their commands.
        let router = Router()
        let api = GatewayAPI(router: router, verifier: verifier, logger: context.logger)
        let server = try HTTPServer(configuration: gateway.http, logger: context.logger,
                                    metrics: context.metrics) { request in api.handle(request) }
        context.logger.info("API listening", [.address: "\(gateway.http.host):\(server.port)",
                                              "tls": String(gateway.http.usesTLS)])
        return [
            Worker(name: "api-server") { stop in
                stop.wait()
                server.stop()
            },
        ]
    }
}
