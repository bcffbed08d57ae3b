import Foundation

/// A configuration value that could not be read; the message names the variable, the value and
/// what is accepted, so the operator can fix it from the message alone.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public let variable: String
    public let message: String

    public init(variable: String, message: String) {
        self.variable = variable
        self.message = message
    }

    public var description: String { "invalid configuration \(variable): \(message)" }
}

/// Typed access to environment variables with defaults. Every service reads its settings
/// through this type, and `Docs/configuration.md` lists each variable it reads.
public struct Environment: Sendable {
    public let values: [String: String]

    public init(_ values: [String: String] = ProcessInfo.processInfo.environment) {
        self.values = values
    }

    public func string(_ name: String, default fallback: String) -> String {
        guard let value = values[name], !value.isEmpty else { return fallback }
        return value
    }

    public func optionalString(_ name: String) -> String? {
        guard let value = values[name], !value.isEmpty else { return nil }
        return value
    }

    public func int(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let raw = optionalString(name) else { return fallback }
        guard let value = Int(raw.trimmingCharacters(in: .whitespaces)) else {
            throw ConfigurationError(variable: name, message: "\"\(raw)\" is not an integer")
        }
        guard range.contains(value) else {
            throw ConfigurationError(
                variable: name,
                message: "\(value) is outside \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    public func double(_ name: String, default fallback: Double,
                       range: ClosedRange<Double>) throws -> Double {
        guard let raw = optionalString(name) else { return fallback }
        guard let value = Double(raw.trimmingCharacters(in: .whitespaces)), value.isFinite else {
            throw ConfigurationError(variable: name, message: "\"\(raw)\" is not a number")
        }
        guard range.contains(value) else {
            throw ConfigurationError(
                variable: name,
                message: "\(value) is outside \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    public func bool(_ name: String, default fallback: Bool) throws -> Bool {
        guard let raw = optionalString(name) else { return fallback }
        switch raw.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default:
            throw ConfigurationError(variable: name,
                                     message: "\"\(raw)\" is not a boolean (true or false)")
        }
    }

    public func logLevel(_ name: String, default fallback: LogLevel) throws -> LogLevel {
        guard let raw = optionalString(name) else { return fallback }
        guard let level = LogLevel(name: raw) else {
            throw ConfigurationError(
                variable: name,
                message: "\"\(raw)\" is not one of trace, debug, info, notice, warning, error")
        }
        return level
    }

    /// Parses `key=value` pairs separated by commas, the form of the raw librdkafka escape hatch.
    public func keyValuePairs(_ name: String) throws -> [String: String] {
        guard let raw = optionalString(name) else { return [:] }
        var pairs: [String: String] = [:]
        for item in raw.split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw ConfigurationError(variable: name,
                                         message: "\"\(item)\" is not of the form key=value")
            }
            pairs[parts[0].trimmingCharacters(in: .whitespaces)] =
                parts[1].trimmingCharacters(in: .whitespaces)
        }
        return pairs
    }
}
