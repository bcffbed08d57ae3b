import DRODSCore
import DRODSScheduler
import Foundation

do {
    let runtime = try SchedulerService.makeRuntime(environment: Environment())
    runtime.installSignalHandlers()
    exit(runtime.run(prepare: SchedulerService.workers))
} catch {
    FileHandle.standardError.write(Data("drods-scheduler: \(error)\n".utf8))
    exit(2)
}
