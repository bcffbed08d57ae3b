import Foundation

/// State of one request across libmicrohttpd's access-handler calls, stored in `*con_cls`.
/// MHD runs all calls for one connection on the same worker thread, one at a time, so the
/// fields up to `responded` need no lock. The hand-off fields below them are shared with the
/// thread that sends a deferred response, and `MHDSuspendedConnections` guards them.
///
/// `@unchecked Sendable`: see the two groups of fields above.
final class MHDRequestContext: @unchecked Sendable {
    /// The request without its body, filled in when the headers arrive.
    let head: HTTPRequest
    let startNanoseconds: UInt64
    var body = Data()
    /// Set when the body exceeded the limit; the rest of the body is then read and dropped.
    var bodyTooLarge = false
    /// Set once a response is queued, so that later calls only drain upload data.
    var responded = false
    /// Set once the handler was called, so that the call after a resume queues its response.
    var dispatched = false

    /// The builder of the response that the handler sent and MHD has not queued yet.
    var pendingResponse: HTTPResponder.Builder?
    /// Set while the connection is suspended, waiting for `pendingResponse`.
    var isSuspended = false

    init(head: HTTPRequest, startNanoseconds: UInt64) {
        self.head = head
        self.startNanoseconds = startNanoseconds
    }
}
