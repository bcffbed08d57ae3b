import DRODSCore
import DRODSScheduler
import Foundation

do {
    let environment = Environment()
    let runtime = try SchedulerService.makeRuntime(environment: environment)
    let prepare = try SchedulerService.prepare(environment: environment)
    runtime.installSignalHandlers()
    exit(runtime.run(prepare: prepare))
} catch {
    FileHandle.standardError.write(Data("drods-scheduler: \(error)\n".utf8))
    exit(2)
}
