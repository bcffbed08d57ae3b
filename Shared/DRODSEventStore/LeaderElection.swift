import DRODSCore
import Foundation

/// Leadership held through a PostgreSQL session advisory lock: exactly one process holding a
/// live connection owns the lock, and the server releases it when that connection ends, so a
/// crashed leader frees it without any timeout of ours.
public final class LeaderElection: @unchecked Sendable {
    public let url: String
    public let key: Int64
    public let name: String
    /// Seconds between attempts to take the lock while another instance holds it, and between
    /// liveness checks while this instance holds it.
    public let interval: Double

    private let logger: Logger
    private let lock = NSLock()
    private var leading = false

    public init(url: String, name: String, interval: Double = 1, logger: Logger) {
        self.url = url
        self.name = name
        self.key = Self.key(for: name)
        self.interval = interval
        self.logger = logger.with([.lockKey: String(Self.key(for: name))])
    }

    /// Whether this instance holds the lock now.
    public var isLeader: Bool { lock.withLock { leading } }

    /// Campaigns until `stop`. While leading, it runs `lead` on a thread of its own with a
    /// signal that is raised when leadership is lost (the lock connection broke) or on `stop`.
    /// `lead` must return soon after that signal is raised. Returns after `stop`.
    public func run(stop: StopSignal, lead: @escaping @Sendable (StopSignal) -> Void) {
        while !stop.isStopped {
            guard let connection = try? acquire() else {
                stop.wait(seconds: interval)
                continue
            }
            logger.info("elected leader", ["election": name])
            lock.withLock { leading = true }

            let term = StopSignal()
            let finished = StopSignal()
            let worker = Thread {
                lead(term)
                finished.stop()
            }
            worker.name = "leader-\(name)"
            worker.start()

            while !stop.isStopped && !finished.isStopped {
                stop.wait(seconds: interval)
                if (try? connection.query("SELECT 1")) == nil {
                    logger.warning("lost leadership: lock connection failed", ["election": name])
                    break
                }
            }
            term.stop()
            finished.wait()
            lock.withLock { leading = false }
            connection.close()  // Ends the session, which releases the lock.
            logger.info("stepped down", ["election": name])
        }
    }

    /// Returns a connection holding the lock, or nil when another session holds it.
    private func acquire() throws -> PQConnection? {
        let connection = try PQConnection(url: url)
        let result = try connection.query("SELECT pg_try_advisory_lock($1)", [String(key)])
        guard result.scalar == "t" else {
            connection.close()
            return nil
        }
        return connection
    }

    /// Derives a stable 63-bit key from the election name (FNV-1a), so that every instance of
    /// a service computes the same key without configuration.
    static func key(for name: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "drods-leader:\(name)".utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return Int64(bitPattern: hash & 0x7fff_ffff_ffff_ffff)
    }
}
