import DRODSCore
import DRODSHistory
import Foundation

do {
    let runtime = try HistoryService.makeRuntime(environment: Environment())
    runtime.installSignalHandlers()
    exit(runtime.run(prepare: HistoryService.workers))
} catch {
    FileHandle.standardError.write(Data("drods-history: \(error)\n".utf8))
    exit(2)
}
