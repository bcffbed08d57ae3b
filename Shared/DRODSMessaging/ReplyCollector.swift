import DRODSCore
import Foundation

/// The replies of one command batch, added from several threads.
final class ReplyCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [(CommandEnvelope, ReplyEnvelope)] = []

    func add(_ command: CommandEnvelope, _ reply: ReplyEnvelope) {
        lock.withLock { collected.append((command, reply)) }
    }

    var replies: [(CommandEnvelope, ReplyEnvelope)] { lock.withLock { collected } }
}
