import DRODSAgent
import DRODSCore
import Foundation

do {
    let configuration = try AgentConfiguration.fromEnvironment(Environment())
    let logger = Logger(service: "agent", level: configuration.logLevel)
    let agent = Agent(configuration: configuration, logger: logger)
    let stop = StopSignal()
    var sources: [DispatchSourceSignal] = []
    for signalNumber in [SIGTERM, SIGINT] {
        signal(signalNumber, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
        source.setEventHandler { stop.stop() }
        source.resume()
        sources.append(source)
    }
    agent.run(stop: stop)
    exit(0)
} catch {
    FileHandle.standardError.write(Data("drods-agent: \(error)\n".utf8))
    exit(2)
}
