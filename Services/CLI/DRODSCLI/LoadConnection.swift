import Foundation

/// One keep-alive HTTP/1.1 connection to 127.0.0.1 for load generation: it writes a request
/// and reads one response with `Content-Length` framing, the form every gateway response
/// uses. Much cheaper per request than URLSession, so the client does not bound the figures.
final class LoadConnection {
    private let port: Int
    private var descriptor: Int32 = -1
    /// Bytes read but not yet consumed: the head of the current response and whatever
    /// followed it in the same read.
    private var buffer = [UInt8]()
    /// Reused for every read, so that a large body costs no allocation per chunk.
    private var scratch = [UInt8](repeating: 0, count: 262_144)

    init(port: Int) { self.port = port }

    deinit { close() }

    func close() {
        if descriptor >= 0 { Foundation.close(descriptor) }
        descriptor = -1
        buffer.removeAll()
    }

    /// Sends one request and returns the response status and body size; reconnects once when
    /// the server closed the kept-alive connection.
    func send(method: String, path: String, headers: [String: String], body: Data?) throws -> (status: Int, bytes: Int) {
        do {
            return try attempt(method, path, headers, body)
        } catch {
            close()
            return try attempt(method, path, headers, body)
        }
    }

    private func attempt(_ method: String, _ path: String, _ headers: [String: String], _ body: Data?) throws -> (status: Int, bytes: Int) {
        if descriptor < 0 { try connect() }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: keep-alive\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(body?.count ?? 0)\r\n\r\n"
        var request = Array(head.utf8)
        if let body { request += Array(body) }
        try writeAll(request)

        let headerEnd = try readUntilHeaderEnd()
        let headerText = String(decoding: buffer[0..<headerEnd], as: UTF8.self)
        let lines = headerText.split(separator: "\r\n")
        guard let statusLine = lines.first, statusLine.split(separator: " ").count >= 2,
              let status = Int(statusLine.split(separator: " ")[1]) else {
            throw LauncherError("malformed HTTP response from 127.0.0.1:\(port): no status line")
        }
        var length = 0
        for line in lines.dropFirst() where line.lowercased().hasPrefix("content-length:") {
            length = Int(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) ?? 0
        }
        // The body is counted, not kept: nothing reads it, and copying it would make the client
        // rather than the server the bound.
        let buffered = buffer.count - (headerEnd + 4)
        if buffered >= length {
            buffer.removeFirst(headerEnd + 4 + length)
        } else {
            buffer.removeAll(keepingCapacity: true)
            var missing = length - buffered
            while missing > 0 {
                let count = try readChunk(limit: missing)
                missing -= count
            }
        }
        return (status, length)
    }

    private func connect() throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw LauncherError("socket() failed: errno \(errno)") }
        var enabled: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &enabled, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Foundation.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            close()
            throw LauncherError("connect to 127.0.0.1:\(port) failed: errno \(errno)")
        }
    }

    private func writeAll(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw LauncherError("write failed: errno \(errno)") }
            offset += written
        }
    }

    private func readUntilHeaderEnd() throws -> Int {
        while true {
            if buffer.count >= 4 {
                for index in 0...(buffer.count - 4)
                where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
                    return index
                }
            }
            try fill()
        }
    }

    private func fill() throws {
        let count = try readChunk(limit: scratch.count)
        buffer += scratch[0..<count]
    }

    /// Reads at most `limit` bytes into `scratch` and returns how many arrived (0 after EINTR).
    private func readChunk(limit: Int) throws -> Int {
        let wanted = min(limit, scratch.count)
        let count = scratch.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, wanted) }
        if count < 0 && errno == EINTR { return 0 }
        guard count > 0 else { throw LauncherError("connection closed by the server") }
        return count
    }
}
