import DRODSCore
import DRODSMonitor
import Foundation

do {
    let runtime = try MonitorService.makeRuntime(environment: Environment())
    runtime.installSignalHandlers()
    exit(runtime.run(prepare: MonitorService.workers))
} catch {
    FileHandle.standardError.write(Data("drods-monitor: \(error)\n".utf8))
    exit(2)
}
