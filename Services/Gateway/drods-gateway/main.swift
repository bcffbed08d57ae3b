import DRODSCore
import DRODSGateway
import Foundation

do {
    let environment = Environment()
    let runtime = try GatewayService.makeRuntime(environment: environment)
    let prepare = try GatewayService.prepare(environment: environment)
    runtime.installSignalHandlers()
    exit(runtime.run(prepare: prepare))
} catch {
    FileHandle.standardError.write(Data("drods-gateway: \(error)\n".utf8))
    exit(2)
}
