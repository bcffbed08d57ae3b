import DRODSCore
import DRODSController
import Foundation

do {
    let runtime = try ControllerService.makeRuntime(environment: Environment())
    runtime.installSignalHandlers()
    exit(runtime.run(prepare: ControllerService.workers))
} catch {
    FileHandle.standardError.write(Data("drods-controller: \(error)\n".utf8))
    exit(2)
}
