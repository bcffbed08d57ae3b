import CMicroHTTPD
import DRODSCore
import Foundation

/// Owner of one libmicrohttpd daemon. With `MHDSuspendedConnections`, the only place in
/// DRODSHTTP that calls MHD.
///
/// `@unchecked Sendable` is safe because the daemon handle is written only in `init`, and
/// `stopped` is read and written under `lock`, so `stop()` runs its C calls at most once.
final class MHDDaemon: @unchecked Sendable {
    let port: Int
    private let handle: OpaquePointer
    private let callbacks: MHDCallbacks
    private var dispatcher: RequestDispatcher { callbacks.dispatcher }
    /// Copies of the TLS certificate and key that outlive the daemon, because MHD keeps the
    /// pointers it was given and its documentation does not say when it stops reading them.
    private let tlsCertificate: CStringCopy?
    private let tlsKey: CStringCopy?
    private let lock = NSLock()
    private var stopped = false

    init(configuration: HTTPServerConfiguration, dispatcher: RequestDispatcher) throws {
        if configuration.usesTLS, MHD_is_feature_supported(.FEATURE_TLS) != .YES {
            throw HTTPServerError(
                code: .tlsUnsupported,
                message: "TLS certificate and key are set, but the installed libmicrohttpd "
                    + "was built without TLS support; install a build with GnuTLS or serve "
                    + "plain HTTP behind a TLS proxy")
        }
        callbacks = MHDCallbacks(dispatcher: dispatcher)

        var options = drods_mhd_options()
        options.port = UInt16(configuration.port)
        options.thread_pool_size = UInt32(configuration.threadPoolSize)
        options.connection_timeout_seconds = UInt32(configuration.connectionTimeoutSeconds)
        options.connection_memory_limit = configuration.connectionMemoryLimitBytes
        options.access_handler = { context, connection, url, method, _, data, size, state in
            MHDDaemon.handleAccess(context: context, connection: connection, url: url,
                                   method: method, uploadData: data, uploadDataSize: size,
                                   requestState: state)
        }
        options.request_completed = { context, _, state, termination in
            MHDDaemon.handleCompletion(context: context, requestState: state,
                                       termination: termination)
        }
        // Unretained: `self.callbacks` keeps the object alive, and `stop()` (also run by
        // deinit) joins every MHD thread before that reference goes away.
        let callbacksPointer = Unmanaged.passUnretained(callbacks).toOpaque()
        options.access_handler_context = callbacksPointer
        options.request_completed_context = callbacksPointer

        tlsCertificate = configuration.tlsCertificatePEM.map(CStringCopy.init)
        tlsKey = configuration.tlsPrivateKeyPEM.map(CStringCopy.init)
        options.tls_certificate_pem = UnsafePointer(tlsCertificate?.pointer)
        options.tls_key_pem = UnsafePointer(tlsKey?.pointer)
        // The C shim binds during the call, so the host string need not outlive it.
        let daemon: OpaquePointer? = configuration.host.withCString { host in
            options.bind_address = host
            return drods_mhd_start(&options)
        }
        guard let daemon else {
            throw HTTPServerError(
                code: .startFailed,
                message: "libmicrohttpd could not listen on \(configuration.host):"
                    + "\(configuration.port); the port may be in use, the address may not "
                    + "belong to this host, or the TLS certificate and key may not match")
        }
        handle = daemon
        port = Int(drods_mhd_bound_port(daemon))
    }

    deinit {
        stop(graceSeconds: 0)
    }

    /// Stops accepting connections, waits up to `graceSeconds` for requests in progress, then
    /// stops the daemon, which closes the remaining connections and joins its threads.
    /// Blocks the calling thread, so it must not run on Swift's cooperative pool. Returns
    /// false when the daemon was already stopped.
    @discardableResult
    func stop(graceSeconds: Double) -> Bool {
        let alreadyStopped = lock.withLock {
            defer { stopped = true }
            return stopped
        }
        guard !alreadyStopped else { return false }

        let listenSocket = MHD_quiesce_daemon(handle)
        if !dispatcher.inFlight.waitUntilIdle(seconds: graceSeconds) {
            dispatcher.logger.warning("closing connections with requests still in progress", [
                .count: String(dispatcher.inFlight.current), .port: String(port),
                "http.suspended": String(callbacks.suspended.count),
            ])
        }
        // MHD_stop_daemon requires that no connection is suspended. The resumed ones get their
        // 503 if a worker reaches them before the daemon closes them.
        callbacks.suspended.closeAll()
        MHD_stop_daemon(handle)
        // MHD hands the quiesced listening socket to the caller, who may close it only after
        // MHD_stop_daemon has joined the threads that could still use it.
        if listenSocket != MHD_INVALID_SOCKET {
            close(listenSocket)
        }
        return true
    }

    // MARK: - Callbacks from MHD worker threads

    /// Runs for each step of a request: once when the headers arrive, once per chunk of body,
    /// and once more with no data after the whole body arrived.
    private static func handleAccess(
        context: UnsafeMutableRawPointer?, connection: OpaquePointer?,
        url: UnsafePointer<CChar>?, method: UnsafePointer<CChar>?,
        uploadData: UnsafePointer<CChar>?, uploadDataSize: UnsafeMutablePointer<Int>?,
        requestState: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
    ) -> MHD_Result {
        guard let context, let connection, let uploadDataSize, let requestState else {
            return .NO
        }
        let callbacks = Unmanaged<MHDCallbacks>.fromOpaque(context).takeUnretainedValue()
        let dispatcher = callbacks.dispatcher

        guard let statePointer = requestState.pointee else {
            let state = MHDRequestContext(
                head: readHead(connection: connection, url: url, method: method),
                startNanoseconds: MonotonicClock.nanoseconds())
            dispatcher.inFlight.begin()
            // Retained: MHD holds this reference in *con_cls until handleCompletion releases it.
            requestState.pointee = Unmanaged.passRetained(state).toOpaque()

            // A declared length over the limit gets its 413 before any body is read. MHD then
            // closes the connection after the response instead of reading the body.
            if let declared = lookupHeader(connection, "Content-Length").flatMap({ UInt64($0) }),
               declared > UInt64(dispatcher.maxBodyBytes) {
                return finish(state, with: dispatcher.payloadTooLarge(), on: connection,
                              dispatcher: dispatcher)
            }
            return .YES
        }
        let state = Unmanaged<MHDRequestContext>.fromOpaque(statePointer).takeUnretainedValue()

        let chunkSize = uploadDataSize.pointee
        if chunkSize > 0 {
            if !state.responded, !state.bodyTooLarge, let uploadData {
                if state.body.count + chunkSize > dispatcher.maxBodyBytes {
                    state.bodyTooLarge = true
                    state.body = Data()
                } else {
                    uploadData.withMemoryRebound(to: UInt8.self, capacity: chunkSize) { bytes in
                        state.body.append(bytes, count: chunkSize)
                    }
                }
            }
            // Setting the size to zero marks the chunk as consumed, also when it was dropped.
            uploadDataSize.pointee = 0
            return .YES
        }

        guard !state.responded else { return .YES }
        if state.bodyTooLarge {
            return finish(state, with: dispatcher.payloadTooLarge(), on: connection,
                          dispatcher: dispatcher)
        }
        let handle = MHDConnectionHandle(pointer: connection)
        if state.dispatched {
            // The call after MHD_resume_connection, which follows a stored response.
            guard let build = callbacks.suspended.take(state) else { return .YES }
            return finish(state, with: build(), on: connection, dispatcher: dispatcher)
        }

        state.dispatched = true
        var request = state.head
        request.body = state.body
        state.body = Data()
        let suspended = callbacks.suspended
        let responder = HTTPResponder { build in
            suspended.deliver(build, to: state, on: handle)
        }
        dispatcher.dispatch(request, responder: responder)
        guard let build = suspended.takeOrSuspend(state, on: handle) else { return .YES }
        return finish(state, with: build(), on: connection, dispatcher: dispatcher)
    }

    /// Runs once per request whose access handler ran, whether it completed, timed out, was
    /// aborted by the client or was cut off by `stop()`.
    private static func handleCompletion(
        context: UnsafeMutableRawPointer?,
        requestState: UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
        termination: MHD_RequestTerminationCode
    ) {
        guard let context, let requestState, let statePointer = requestState.pointee else { return }
        let dispatcher = Unmanaged<MHDCallbacks>.fromOpaque(context).takeUnretainedValue().dispatcher
        // Balances the passRetained in handleAccess; the state is freed when this goes.
        let state = Unmanaged<MHDRequestContext>.fromOpaque(statePointer).takeRetainedValue()
        requestState.pointee = nil

        if termination != .REQUEST_TERMINATED_COMPLETED_OK {
            dispatcher.logger.debug("request ended before its response was sent", [
                .requestID: state.head.requestID, .method: state.head.method,
                .path: state.head.path, "mhd.termination": String(termination.rawValue),
            ])
        }
        dispatcher.inFlight.end()
    }

    // MARK: - Request and response conversion

    private static func finish(_ state: MHDRequestContext, with response: HTTPResponse,
                               on connection: OpaquePointer,
                               dispatcher: RequestDispatcher) -> MHD_Result {
        state.responded = true
        guard queue(response, requestID: state.head.requestID, on: connection,
                    logger: dispatcher.logger) else {
            dispatcher.logger.error("libmicrohttpd did not accept the response; closing the connection", [
                .requestID: state.head.requestID, .method: state.head.method,
                .path: state.head.path, .status: String(response.status),
            ])
            return .NO
        }
        dispatcher.record(state.head, status: response.status,
                          startNanoseconds: state.startNanoseconds)
        return .YES
    }

    private static func queue(_ response: HTTPResponse, requestID: String,
                              on connection: OpaquePointer, logger: Logger) -> Bool {
        // .RESPMEM_MUST_COPY makes MHD copy the body, so the Swift buffer may go after the call.
        let created = response.body.withUnsafeBytes { raw in
            MHD_create_response_from_buffer(raw.count, UnsafeMutableRawPointer(mutating: raw.baseAddress),
                                            .RESPMEM_MUST_COPY)
        }
        guard let mhdResponse = created else { return false }
        // MHD_queue_response takes its own reference, so ours is dropped on every path.
        defer { MHD_destroy_response(mhdResponse) }

        for field in response.headers.fields {
            // MHD computes Content-Length itself and rejects a second one.
            if field.name.lowercased() == "content-length" { continue }
            if MHD_add_response_header(mhdResponse, field.name, field.value) != .YES {
                logger.warning("dropped a response header that libmicrohttpd rejected", [
                    .requestID: requestID, "http.header": field.name,
                ])
            }
        }
        _ = MHD_add_response_header(mhdResponse, "X-Request-ID", requestID)
        return MHD_queue_response(connection, UInt32(response.status), mhdResponse) == .YES
    }

    private static func readHead(connection: OpaquePointer, url: UnsafePointer<CChar>?,
                                 method: UnsafePointer<CChar>?) -> HTTPRequest {
        let headers = HTTPHeaders(collectValues(connection, kind: .HEADER_KIND))
        var query: [String: String] = [:]
        for (name, value) in collectValues(connection, kind: .GET_ARGUMENT_KIND) {
            query[PercentDecoding.decode(name)] = PercentDecoding.decode(value)
        }
        var addressBuffer = [CChar](repeating: 0, count: 64)
        var remoteAddress = "unknown"
        if drods_mhd_client_address(connection, &addressBuffer, addressBuffer.count) == 1 {
            let bytes = addressBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
            remoteAddress = String(decoding: bytes, as: UTF8.self)
        }
        // The unescape callback in the C shim leaves the path encoded; see drods_mhd_start.
        let rawPath = url.map { String(cString: $0) } ?? "/"
        return HTTPRequest(method: method.map { String(cString: $0) } ?? "",
                           path: PercentDecoding.decode(rawPath), rawPath: rawPath,
                           query: query, headers: headers, remoteAddress: remoteAddress)
    }

    private static func lookupHeader(_ connection: OpaquePointer, _ name: String) -> String? {
        MHD_lookup_connection_value(connection, .HEADER_KIND, name).map { String(cString: $0) }
    }

    /// Returns the headers or query arguments of a request in arrival order. A value that MHD
    /// reports as NULL, such as a query argument without `=`, becomes an empty string.
    private static func collectValues(_ connection: OpaquePointer,
                                      kind: MHD_ValueKind) -> [(String, String)] {
        final class Collector { var pairs: [(String, String)] = [] }
        let collector = Collector()
        // Unretained: MHD calls the iterator only during MHD_get_connection_values, while
        // withExtendedLifetime keeps the collector alive.
        withExtendedLifetime(collector) {
            _ = MHD_get_connection_values(
                connection, kind,
                { context, _, key, value in
                    guard let context, let key else { return .YES }
                    let collector = Unmanaged<Collector>.fromOpaque(context).takeUnretainedValue()
                    collector.pairs.append((String(cString: key), value.map { String(cString: $0) } ?? ""))
                    return .YES
                },
                Unmanaged.passUnretained(collector).toOpaque())
        }
        return collector.pairs
    }

}

/// The dispatcher and the suspension table, which the MHD callbacks reach through their
/// context pointer.
private final class MHDCallbacks: Sendable {
    let dispatcher: RequestDispatcher
    let suspended = MHDSuspendedConnections()

    init(dispatcher: RequestDispatcher) {
        self.dispatcher = dispatcher
    }
}

/// A NUL-terminated copy of a Swift string in C memory, freed when this object goes.
private final class CStringCopy {
    let pointer: UnsafeMutablePointer<CChar>

    init(_ text: String) {
        // strdup returns NULL only when memory is exhausted, and the unwrap then traps.
        pointer = text.withCString { strdup($0)! }
    }

    deinit {
        free(pointer)
    }
}
