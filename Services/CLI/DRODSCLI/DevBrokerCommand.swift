import DRODSCore
import DRODSMessaging
import Foundation

/// `drods dev-broker`: librdkafka's mock cluster on loopback, with the project's topics
/// created, until SIGINT or SIGTERM. In memory only: its messages are gone when it stops.
enum DevBrokerCommand {
    static func run(_ words: [String], logger: Logger) throws -> Int32 {
        let arguments = try Arguments(words, valueOptions: ["brokers", "partitions"])
        let brokers = try arguments.int("brokers", default: 1, range: 1...9)
        let partitions = try arguments.int("partitions", default: 6, range: 1...1000)

        let stop = StopSignal()
        var sources: [DispatchSourceSignal] = []
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { stop.stop() }
            source.resume()
            sources.append(source)
        }

        let broker = try DevelopmentBroker(brokerCount: brokers, topics: Topics.all, partitions: partitions,
                                           logger: logger)
        // The address alone on the first line of standard output, for scripts to read.
        FileHandle.standardOutput.write(Data("\(broker.bootstrapServers)\n".utf8))
        logger.info("development broker running", ["kafka.brokers": broker.bootstrapServers,
                                                   .count: String(brokers)])
        stop.wait()
        broker.close()
        logger.info("development broker stopped")
        _ = sources
        return 0
    }
}
