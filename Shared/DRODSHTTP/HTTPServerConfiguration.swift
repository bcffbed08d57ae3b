/// Settings of an `HTTPServer`. Sizes are in bytes and times in seconds.
public struct HTTPServerConfiguration: Sendable {
    /// IPv4 address to listen on: `127.0.0.1` for loopback only, `0.0.0.0` for every interface.
    public var host: String
    /// TCP port; 0 lets the kernel pick a free port, which `HTTPServer.port` then reports.
    public var port: Int
    /// Worker threads that run handlers; a slow handler holds one thread for its duration.
    public var threadPoolSize: Int
    /// Seconds a connection may stay idle before the server closes it; 0 disables the timeout.
    public var connectionTimeoutSeconds: Int
    /// Largest request body accepted; a larger one gets 413 `PAYLOAD_TOO_LARGE`.
    public var maxBodyBytes: Int
    /// Memory libmicrohttpd may use per connection for the request line, headers and its
    /// buffers, so it also bounds the total size of the request headers.
    public var connectionMemoryLimitBytes: Int
    /// PEM certificate chain and private key; set both to serve HTTPS, or neither for HTTP.
    public var tlsCertificatePEM: String?
    public var tlsPrivateKeyPEM: String?
    /// Seconds `stop()` waits for requests in progress before closing their connections.
    public var shutdownGraceSeconds: Double

    public init(host: String = "127.0.0.1", port: Int = 0, threadPoolSize: Int = 4,
                connectionTimeoutSeconds: Int = 30, maxBodyBytes: Int = 1 << 20,
                connectionMemoryLimitBytes: Int = 64 * 1024, tlsCertificatePEM: String? = nil,
                tlsPrivateKeyPEM: String? = nil, shutdownGraceSeconds: Double = 5) {
        self.host = host
        self.port = port
        self.threadPoolSize = threadPoolSize
        self.connectionTimeoutSeconds = connectionTimeoutSeconds
        self.maxBodyBytes = maxBodyBytes
        self.connectionMemoryLimitBytes = connectionMemoryLimitBytes
        self.tlsCertificatePEM = tlsCertificatePEM
        self.tlsPrivateKeyPEM = tlsPrivateKeyPEM
        self.shutdownGraceSeconds = shutdownGraceSeconds
    }

    /// Whether the server serves HTTPS.
    public var usesTLS: Bool { tlsCertificatePEM != nil }

    /// Checks every value and throws an `HTTPServerError` with code `invalidConfiguration`
    /// naming the first one out of range.
    func validate() throws {
        func invalid(_ message: String) -> HTTPServerError {
            HTTPServerError(code: .invalidConfiguration, message: message)
        }
        guard IPv4Address.isValid(host) else {
            throw invalid("host \"\(host)\" is not an IPv4 address such as 127.0.0.1 or 0.0.0.0")
        }
        guard (0...65535).contains(port) else {
            throw invalid("port \(port) is outside 0...65535")
        }
        guard (1...1024).contains(threadPoolSize) else {
            throw invalid("thread pool size \(threadPoolSize) is outside 1...1024")
        }
        guard (0...86_400).contains(connectionTimeoutSeconds) else {
            throw invalid("connection timeout \(connectionTimeoutSeconds) s is outside 0...86400")
        }
        guard maxBodyBytes >= 0 else {
            throw invalid("maximum body size \(maxBodyBytes) is negative")
        }
        guard connectionMemoryLimitBytes >= 4096 else {
            throw invalid("connection memory limit \(connectionMemoryLimitBytes) is below 4096 bytes")
        }
        guard (tlsCertificatePEM == nil) == (tlsPrivateKeyPEM == nil) else {
            throw invalid("HTTPS needs both a certificate and a private key, but only one is set")
        }
        guard shutdownGraceSeconds >= 0, shutdownGraceSeconds.isFinite else {
            throw invalid("shutdown grace \(shutdownGraceSeconds) s is not a non-negative number")
        }
    }
}

/// Dotted-quad checks without a C call, so that configuration errors name the bad value.
enum IPv4Address {
    static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        return parts.allSatisfy { part in
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCII),
                  let value = Int(part) else { return false }
            return (0...255).contains(value)
        }
    }
}
