import DRODSCore
@testable import DRODSMessaging
import Foundation
import XCTest

/// Logger for the tests: warnings and errors go to standard error so a failing run shows what
/// the clients reported.
let testLogger = Logger(service: "messaging-tests", level: .warning)

/// Generous bound for anything that waits on the in-process broker, including the first
/// consumer group join.
let brokerWait = 30.0

/// Starts a development broker with the given topics and their partition counts.
func startBroker(topics: [String: Int]) throws -> DevelopmentBroker {
    let broker = try DevelopmentBroker(topics: [], logger: testLogger)
    for (name, partitions) in topics {
        try broker.createTopic(name, partitions: partitions)
    }
    return broker
}

func configuration(for broker: DevelopmentBroker, clientID: String = "messaging-tests")
    -> KafkaConfiguration
{
    KafkaConfiguration(brokers: broker.bootstrapServers, clientID: clientID, partitions: 3)
}

/// A list that threads append to while the test reads it.
final class Collected<Element: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Element] = []

    func append(_ element: Element) {
        lock.withLock { storage.append(element) }
    }

    var all: [Element] { lock.withLock { storage } }
    var count: Int { lock.withLock { storage.count } }
}

/// Polls `condition` every 10 ms until it is true or `timeout` seconds pass; returns its last
/// value.
func waitUntil(timeout: Double = brokerWait, _ condition: () -> Bool) -> Bool {
    let deadline = Date(timeIntervalSinceNow: timeout)
    while Date() < deadline {
        if condition() { return true }
        Thread.sleep(forTimeInterval: 0.01)
    }
    return condition()
}

/// Runs a blocking body on a thread of its own, the way services run consumers.
final class BackgroundRun: @unchecked Sendable {
    let stop = StopSignal()
    private let finished = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var failure: (any Error)?

    init(_ body: @escaping @Sendable (StopSignal) throws -> Void) {
        let thread = Thread { [stop, finished, self] in
            do {
                try body(stop)
            } catch {
                lock.withLock { failure = error }
            }
            finished.signal()
        }
        thread.start()
    }

    /// Raises the stop signal and waits for the body to return; returns its error, if any.
    @discardableResult
    func stopAndWait(timeout: Double = brokerWait) -> (any Error)? {
        stop.stop()
        guard finished.wait(timeout: .now() + timeout) == .success else {
            XCTFail("background run did not stop within \(timeout) s")
            return nil
        }
        return lock.withLock { failure }
    }
}

/// Produces `count` messages and waits for each delivery.
func produce(_ producer: KafkaProducer, topic: String, key: String?, values: [String],
             headers: [String: String] = [:]) throws {
    for value in values {
        try producer.sendAndWait(topic: topic, key: key, value: Data(value.utf8),
                                 headers: headers, timeout: brokerWait)
    }
}

extension KafkaMessage {
    var text: String { String(decoding: value, as: UTF8.self) }
}
