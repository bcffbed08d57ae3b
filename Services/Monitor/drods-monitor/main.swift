import DRODSCore
import DRODSMonitor
import Foundation

do {
    let environment = Environment()
    let runtime = try MonitorService.makeRuntime(environment: environment)
    let prepare = try MonitorService.prepare(environment: environment)
    runtime.installSignalHandlers()
    exit(runtime.run(prepare: prepare))
} catch {
    FileHandle.standardError.write(Data("drods-monitor: \(error)\n".utf8))
    exit(2)
}
