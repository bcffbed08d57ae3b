import DRODSCore
import DRODSHTTP
import Foundation
import XCTest

/// A server on 127.0.0.1 with a free port, its captured log lines and a client aimed at it.
final class ServerHarness: Sendable {
    let sink = MemorySink()
    let metrics = MetricsRegistry()
    let server: HTTPServer
    let client = HTTPClient(defaultTimeout: 10)

    init(maxBodyBytes: Int = 1 << 20, threads: Int = 4, shutdownGraceSeconds: Double = 5,
         handler: @escaping HTTPServer.Handler) throws {
        let configuration = HTTPServerConfiguration(
            host: "127.0.0.1", port: 0, threadPoolSize: threads, maxBodyBytes: maxBodyBytes,
            shutdownGraceSeconds: shutdownGraceSeconds)
        let logger = Logger(service: "http-test", level: .debug, sink: sink)
        server = try HTTPServer(configuration: configuration, logger: logger, metrics: metrics,
                                handler: handler)
    }

    init(threads: Int = 4, shutdownGraceSeconds: Double = 5,
         deferredHandler: @escaping HTTPServer.DeferredHandler) throws {
        let configuration = HTTPServerConfiguration(
            host: "127.0.0.1", port: 0, threadPoolSize: threads,
            shutdownGraceSeconds: shutdownGraceSeconds)
        let logger = Logger(service: "http-test", level: .debug, sink: sink)
        server = try HTTPServer(configuration: configuration, logger: logger, metrics: metrics,
                                deferredHandler: deferredHandler)
    }

    func url(_ pathAndQuery: String) -> String {
        "http://127.0.0.1:\(server.port)\(pathAndQuery)"
    }

    func stop() {
        server.stop()
    }
}

/// Decodes the API error body or fails the test.
func decodeError(_ body: Data, file: StaticString = #filePath,
                 line: UInt = #line) throws -> APIErrorBody {
    do {
        return try JSONDecoder().decode(APIErrorBody.self, from: body)
    } catch {
        XCTFail("body is not an API error: \(String(decoding: body, as: UTF8.self))",
                file: file, line: line)
        throw error
    }
}

/// Runs a command-line tool and returns its exit status and standard output.
func runTool(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self))
}
