import DRODSCore
import Foundation

extension Launcher {
    /// Creates the launcher of a benchmark's private control plane: any free gateway port,
    /// warnings only, no rate limit, and `environment` over those settings.
    static func forBenchmark(environment: [String: String] = [:],
                             configure: (inout Options) -> Void = { _ in }) throws -> Launcher {
        var options = Options()
        options.gatewayPort = try FreePort.find()
        options.logLevel = "warning"
        options.extraEnvironment = ["DRODS_GATEWAY_RATE_LIMIT_PER_S": "0"].merging(environment) { _, new in new }
        configure(&options)
        return Launcher(options: options, logger: Logger(service: "bench", level: .warning))
    }

    /// The gateway port the launcher was given.
    var gatewayPort: Int { options.gatewayPort }
}
