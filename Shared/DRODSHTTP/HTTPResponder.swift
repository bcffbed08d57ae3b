import Foundation

/// The one-shot channel through which a deferred handler sends its response, from any thread,
/// during the handler call or after it returned. Only the first response counts.
///
/// `@unchecked Sendable`: `sent` is read and written only with `lock` held.
public final class HTTPResponder: @unchecked Sendable {
    /// Builds the response to send; see `respond(building:)` for the thread it runs on.
    public typealias Builder = @Sendable () -> HTTPResponse

    private let deliver: @Sendable (@escaping Builder) -> Void
    private let lock = NSLock()
    private var sent = false

    /// Creates a responder that passes the first response's builder to `deliver`.
    public init(deliver: @escaping @Sendable (@escaping Builder) -> Void) {
        self.deliver = deliver
    }

    /// Sends `response`. Returns false, and drops the response, when one was sent before.
    @discardableResult
    public func respond(_ response: HTTPResponse) -> Bool {
        respond(building: { response })
    }

    /// Sends the response that `build` returns. The server calls `build` on one of its worker
    /// threads, so a caller on a thread that must stay free, such as a Kafka poll thread, can
    /// leave the cost of encoding and bookkeeping to the server. Returns false, and never calls
    /// `build`, when a response was sent before.
    @discardableResult
    public func respond(building build: @escaping Builder) -> Bool {
        let first = lock.withLock {
            defer { sent = true }
            return !sent
        }
        guard first else { return false }
        deliver(build)
        return true
    }

    /// Whether a response was sent.
    public var hasResponded: Bool {
        lock.withLock { sent }
    }

    /// Returns a responder that sends through this one, after passing each response through
    /// `transform` in the builder, so on the same thread as the original builder.
    public func mapping(_ transform: @escaping @Sendable (HTTPResponse) -> HTTPResponse) -> HTTPResponder {
        HTTPResponder { [self] build in
            respond(building: { transform(build()) })
        }
    }
}

/// A responder whose response the calling thread waits for, for callers outside the server
/// such as `Router.handle(_:)`.
///
/// `@unchecked Sendable`: `builder` is written once under `lock` before `done` is signalled.
final class BlockingResponse: @unchecked Sendable {
    private let lock = NSLock()
    private let done = DispatchSemaphore(value: 0)
    private var builder: HTTPResponder.Builder?

    /// Returns the responder whose response `wait()` returns. Call it once.
    func makeResponder() -> HTTPResponder {
        HTTPResponder { [self] build in
            lock.withLock { builder = build }
            done.signal()
        }
    }

    /// Blocks until the response was sent, then builds it on the calling thread.
    func wait() -> HTTPResponse {
        done.wait()
        let build = lock.withLock { builder }
        // `wait` returns only after `deliver` stored a builder.
        return build!()
    }
}
