import DRODSCore
import DRODSMessaging
import Foundation

/// `drods watch`: reads `drods.events.binding` from its end and prints one line per
/// scheduling decision as it is published, until SIGINT or SIGTERM. A reference for
/// downstream consumers: it needs only the Kafka brokers, not the gateway.
enum WatchCommand {
    static func run(_ words: [String]) throws -> Int32 {
        let arguments = try Arguments(words, valueOptions: ["kafka"])
        guard arguments.positional.isEmpty else { throw UsageError("unexpected argument \(arguments.positional[0])") }
        let brokers = arguments.options["kafka"] ?? ProcessInfo.processInfo.environment["DRODS_KAFKA_BROKERS"] ?? ""
        guard !brokers.isEmpty else {
            throw UsageError("no Kafka brokers: pass --kafka HOST:PORT or set DRODS_KAFKA_BROKERS "
                             + "(`drods up` writes it to DATA/drods.env)")
        }
        let topic = Topics.events(category: "binding")
        // librdkafka's own retries are logged at warning; only errors matter to a terminal user.
        let logger = Logger(service: "drods-watch", level: .error)
        let configuration = KafkaConfiguration(brokers: brokers, clientID: "drods-watch")
        let consumer: KafkaConsumer
        do {
            consumer = try KafkaConsumer(configuration: configuration, readerOf: topic, startingAt: .end,
                                         timeout: 10, logger: logger)
        } catch {
            throw GatewayError(description: "cannot read \(topic) from Kafka at \(brokers): \(error)\n"
                               + "Start a control plane with `drods up`, or point DRODS_KAFKA_BROKERS "
                               + "(or --kafka) at its brokers.")
        }

        let stop = StopSignal()
        let sources = installSignalHandlers(stop: stop)
        defer { sources.forEach { $0.cancel() } }
        FileHandle.standardError.write(Data("watching \(topic) at \(brokers); Ctrl-C stops\n".utf8))
        try consumer.run(stop: stop) { message in
            guard let envelope = try? WireJSON.decode(JSONValue.self, from: message.value) else { return }
            if let line = DecisionLine.format(envelope: envelope) {
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
            }
        }
        return 0
    }

    /// Turns SIGINT and SIGTERM into `stop`, so the consumer closes before the process exits.
    private static func installSignalHandlers(stop: StopSignal) -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { stop.stop() }
            source.resume()
            return source
        }
    }
}
