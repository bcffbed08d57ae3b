import CMicroHTTPD
import Foundation

/// A libmicrohttpd connection pointer that may cross threads. MHD allows
/// `MHD_resume_connection` from any thread; every other call stays on the connection's worker.
struct MHDConnectionHandle: @unchecked Sendable {
    let pointer: OpaquePointer
}

/// Connections waiting for a deferred response, and the hand-off of that response from the
/// thread that sends it to the MHD worker that queues it.
///
/// One lock guards the table and the hand-off fields of every `MHDRequestContext`, and the MHD
/// suspend and resume calls run with it held. So a resume never comes before the suspend it
/// undoes, and none comes after `closeAll()`, which runs before `MHD_stop_daemon`.
///
/// `@unchecked Sendable`: every field is read and written with `lock` held.
final class MHDSuspendedConnections: @unchecked Sendable {
    private struct Entry {
        let context: MHDRequestContext
        let connection: MHDConnectionHandle
    }

    private let lock = NSLock()
    /// False once `closeAll()` ran, so that no connection is suspended after it.
    private var accepting = true
    private var waiting: [ObjectIdentifier: Entry] = [:]

    /// Number of connections suspended now.
    var count: Int {
        lock.withLock { waiting.count }
    }

    /// Returns the response when the handler already sent it, else suspends the connection and
    /// returns nil. Call it on the connection's worker, in the access handler, after the
    /// handler returned. After `closeAll()` it returns a 503 instead of suspending.
    func takeOrSuspend(_ context: MHDRequestContext, on connection: MHDConnectionHandle)
        -> HTTPResponder.Builder?
    {
        lock.withLock {
            if let build = context.pendingResponse {
                context.pendingResponse = nil
                return build
            }
            guard accepting else { return { HTTPResponse.shuttingDown() } }
            context.isSuspended = true
            waiting[ObjectIdentifier(context)] = Entry(context: context, connection: connection)
            MHD_suspend_connection(connection.pointer)
            return nil
        }
    }

    /// Returns the response stored for a resumed connection, once.
    func take(_ context: MHDRequestContext) -> HTTPResponder.Builder? {
        lock.withLock {
            defer { context.pendingResponse = nil }
            return context.pendingResponse
        }
    }

    /// Stores a deferred response and resumes the connection when it is suspended; MHD then
    /// calls the access handler again on the connection's worker. Safe from any thread. A
    /// response that arrives after `closeAll()` gave the request its 503 is dropped.
    func deliver(_ build: @escaping HTTPResponder.Builder, to context: MHDRequestContext,
                 on connection: MHDConnectionHandle) {
        lock.withLock {
            guard context.pendingResponse == nil else { return }
            context.pendingResponse = build
            guard context.isSuspended else { return }
            context.isSuspended = false
            waiting.removeValue(forKey: ObjectIdentifier(context))
            MHD_resume_connection(connection.pointer)
        }
    }

    /// Gives every suspended connection a 503 `SHUTTING_DOWN` response, resumes it, and stops
    /// further suspensions, because `MHD_stop_daemon` must find no suspended connection.
    /// Returns how many connections it resumed.
    @discardableResult
    func closeAll() -> Int {
        lock.withLock {
            accepting = false
            for entry in waiting.values {
                entry.context.pendingResponse = { HTTPResponse.shuttingDown() }
                entry.context.isSuspended = false
                MHD_resume_connection(entry.connection.pointer)
            }
            defer { waiting.removeAll() }
            return waiting.count
        }
    }
}

extension HTTPResponse {
    /// Returns the 503 for a request whose deferred response had not arrived when the server
    /// stopped.
    static func shuttingDown() -> HTTPResponse {
        var response = HTTPResponse.error(
            status: 503, code: "SHUTTING_DOWN",
            message: "the server stopped before the response was ready; retry")
        response.headers["Retry-After"] = "1"
        return response
    }
}
