import Foundation

/// Severity of a log line, ordered from the most verbose to the most severe.
public enum LogLevel: Int, Comparable, Sendable, CustomStringConvertible {
    case trace = 0, debug, info, notice, warning, error, critical

    public init?(name: String) {
        switch name.lowercased() {
        case "trace": self = .trace
        case "debug": self = .debug
        case "info": self = .info
        case "notice": self = .notice
        case "warning", "warn": self = .warning
        case "error": self = .error
        case "critical": self = .critical
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .trace: "trace"
        case .debug: "debug"
        case .info: "info"
        case .notice: "notice"
        case .warning: "warning"
        case .error: "error"
        case .critical: "critical"
        }
    }

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Destination of formatted log lines. Tests capture lines; services write to standard error.
public protocol LogSink: Sendable {
    func write(line: String)
}

/// Writes each line to standard error with one `write(2)` call, so lines from different
/// threads never interleave.
public struct StandardErrorSink: LogSink {
    public init() {}

    public func write(line: String) {
        var bytes = Array((line + "\n").utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}

/// Keeps lines in memory; used by tests that assert on what a component logged.
public final class MemorySink: LogSink, @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []

    public init() {}

    public func write(line: String) {
        lock.withLock { storage.append(line) }
    }

    public var lines: [String] { lock.withLock { storage } }
}

/// Structured logger that writes one JSON object per line: `time`, `level`, `service`,
/// `msg`, then the metadata keys. Loggers are values and are passed to the components that
/// log, never created inside them; `with(_:)` adds metadata for a narrower scope.
public struct Logger: Sendable {
    public let service: String
    public let level: LogLevel
    public let metadata: [LogKey: String]
    private let sink: any LogSink

    public init(service: String, level: LogLevel = .info, sink: any LogSink = StandardErrorSink(),
                metadata: [LogKey: String] = [:]) {
        self.service = service
        self.level = level
        self.sink = sink
        self.metadata = metadata
    }

    /// Returns a logger that adds `extra` to every line.
    public func with(_ extra: [LogKey: String]) -> Logger {
        Logger(service: service, level: level, sink: sink,
               metadata: metadata.merging(extra) { _, new in new })
    }

    public func trace(_ message: @autoclosure () -> String, _ extra: [LogKey: String] = [:]) {
        log(.trace, message(), extra)
    }

    public func debug(_ message: @autoclosure () -> String, _ extra: [LogKey: String] = [:]) {
        log(.debug, message(), extra)
    }

    public func info(_ message: @autoclosure () -> String, _ extra: [LogKey: String] = [:]) {
        log(.info, message(), extra)
    }

    public func notice(_ message: @autoclosure () -> String, _ extra: [LogKey: String] = [:]) {
        log(.notice, message(), extra)
    }

    public func warning(_ message: @autoclosure () -> String, _ extra: [LogKey: String] = [:]) {
        log(.warning, message(), extra)
    }

    public func error(_ message: @autoclosure () -> String, _ extra: [LogKey: String] = [:]) {
        log(.error, message(), extra)
    }

    public func log(_ lineLevel: LogLevel, _ message: @autoclosure () -> String,
                    _ extra: [LogKey: String] = [:]) {
        guard lineLevel >= level else { return }
        var object: [String: String] = [
            "time": Logger.timestamp(),
            "level": lineLevel.description,
            "service": service,
            "msg": message(),
        ]
        for (key, value) in metadata { object[key.rawValue] = value }
        for (key, value) in extra { object[key.rawValue] = value }
        sink.write(line: Logger.encode(object))
    }

    // MARK: - Formatting

    private static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = time_t(now.tv_sec)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let millis = Int(now.tv_nsec) / 1_000_000
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                      parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec, millis)
    }

    /// Encodes with a fixed key order (time, level, service, msg, then sorted) so that lines
    /// read the same way in a terminal and diff cleanly.
    private static func encode(_ object: [String: String]) -> String {
        let leading = ["time", "level", "service", "msg"]
        let rest = object.keys.filter { !leading.contains($0) }.sorted()
        var out = "{"
        var first = true
        for key in leading + rest {
            guard let value = object[key] else { continue }
            if !first { out += "," }
            first = false
            out += JSONString.quote(key) + ":" + JSONString.quote(value)
        }
        return out + "}"
    }
}
