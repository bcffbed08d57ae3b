import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A synchronous HTTP client for tests, the command-line tool and benchmarks, built on
/// Foundation's `URLSession` (libcurl on Linux). Connections are reused between requests.
///
/// Each call blocks its thread until the response arrives, so call it from a thread, not from
/// an async task on Swift's cooperative pool. Redirects are followed as `URLSession` does.
public final class HTTPClient: Sendable {
    /// Seconds a request may take when the call passes no timeout.
    public let defaultTimeout: Double
    private let session: URLSession

    public init(defaultTimeout: Double = 10) {
        self.defaultTimeout = defaultTimeout
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpShouldSetCookies = false
        configuration.httpMaximumConnectionsPerHost = 16
        session = URLSession(configuration: configuration)
    }

    deinit {
        session.invalidateAndCancel()
    }

    /// Sends one request and waits for the whole response. Response header names are lower
    /// case; when a header repeats, `URLSession` joins the values with commas. Throws
    /// `HTTPClientError` when no response arrives; an error status is returned, not thrown.
    public func request(method: String = "GET", url: String, headers: [String: String] = [:],
                        body: Data? = nil, timeout: Double? = nil)
        throws -> (status: Int, headers: [String: String], body: Data)
    {
        guard let target = URL(string: url), let scheme = target.scheme?.lowercased(),
              scheme == "http" || scheme == "https", target.host != nil else {
            throw HTTPClientError(code: .invalidURL, url: Self.redacted(url),
                                  message: "expected an absolute http:// or https:// URL")
        }
        let seconds = timeout ?? defaultTimeout
        var request = URLRequest(url: target, timeoutInterval: seconds)
        request.httpMethod = method
        for (name, value) in headers {
            request.setValue(value, forHTTPHeaderField: name)
        }
        request.httpBody = body

        let outcome = Outcome()
        let task = session.dataTask(with: request) { data, response, error in
            outcome.complete(data: data, response: response, error: error)
        }
        task.resume()
        // URLSession's own timeout covers idle time only; this bounds the whole exchange.
        guard outcome.wait(seconds: seconds + 1) else {
            task.cancel()
            throw HTTPClientError(code: .timedOut, url: Self.redacted(url),
                                  message: "no response within \(seconds) s")
        }
        return try outcome.result(url: Self.redacted(url))
    }

    /// Returns `url` without user name and password, for error messages.
    private static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "(invalid URL)" }
        components.user = nil
        components.password = nil
        return components.string ?? "(invalid URL)"
    }

    /// The completion handler's result, handed from URLSession's delegate queue to the waiting
    /// caller. `@unchecked Sendable` is safe because every field is accessed with `condition`
    /// locked.
    private final class Outcome: @unchecked Sendable {
        private let condition = NSCondition()
        private var done = false
        private var data: Data?
        private var response: URLResponse?
        private var error: (any Error)?

        func complete(data: Data?, response: URLResponse?, error: (any Error)?) {
            condition.lock()
            self.data = data
            self.response = response
            self.error = error
            done = true
            condition.broadcast()
            condition.unlock()
        }

        func wait(seconds: Double) -> Bool {
            let deadline = Date(timeIntervalSinceNow: seconds)
            condition.lock()
            defer { condition.unlock() }
            while !done {
                if !condition.wait(until: deadline) { break }
            }
            return done
        }

        func result(url: String) throws -> (status: Int, headers: [String: String], body: Data) {
            condition.lock()
            defer { condition.unlock() }
            if let error {
                let code: HTTPClientError.Code =
                    (error as? URLError)?.code == .timedOut ? .timedOut : .transport
                throw HTTPClientError(code: code, url: url, message: error.localizedDescription)
            }
            guard let http = response as? HTTPURLResponse else {
                throw HTTPClientError(code: .transport, url: url,
                                      message: "the response is not an HTTP response")
            }
            var headers: [String: String] = [:]
            for (name, value) in http.allHeaderFields {
                headers[String(describing: name).lowercased()] = String(describing: value)
            }
            return (http.statusCode, headers, data ?? Data())
        }
    }
}
