import Foundation

/// State of one request across libmicrohttpd's access-handler calls, stored in `*con_cls`.
/// MHD runs all calls for one connection on the same worker thread, one at a time, so the
/// mutable fields need no lock.
final class MHDRequestContext {
    /// The request without its body, filled in when the headers arrive.
    let head: HTTPRequest
    let startNanoseconds: UInt64
    var body = Data()
    /// Set when the body exceeded the limit; the rest of the body is then read and dropped.
    var bodyTooLarge = false
    /// Set once a response is queued, so that later calls only drain upload data.
    var responded = false

    init(head: HTTPRequest, startNanoseconds: UInt64) {
        self.head = head
        self.startNanoseconds = startNanoseconds
    }
}
