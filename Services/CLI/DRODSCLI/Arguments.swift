/// Command-line arguments of one subcommand: `--name value`, `--name=value`, boolean
/// `--flag`, and positional words. Unknown options are reported, never ignored.
public struct Arguments: Sendable {
    public private(set) var options: [String: String] = [:]
    public private(set) var flags: Set<String> = []
    public private(set) var positional: [String] = []

    /// Parses `words`; `valueOptions` lists the options that take a value and `flagOptions`
    /// those that do not.
    public init(_ words: [String], valueOptions: Set<String>, flagOptions: Set<String> = []) throws {
        var index = 0
        while index < words.count {
            let word = words[index]
            index += 1
            guard word.hasPrefix("--"), word.count > 2 else {
                positional.append(word)
                continue
            }
            var name = String(word.dropFirst(2))
            var value: String?
            if let equals = name.firstIndex(of: "=") {
                value = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if flagOptions.contains(name) {
                guard value == nil else { throw UsageError("option --\(name) takes no value") }
                flags.insert(name)
            } else if valueOptions.contains(name) {
                if value == nil {
                    guard index < words.count else { throw UsageError("option --\(name) needs a value") }
                    value = words[index]
                    index += 1
                }
                options[name] = value
            } else {
                throw UsageError("unknown option --\(name)")
            }
        }
    }

    public func int(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let raw = options[name] else { return fallback }
        guard let value = Int(raw), range.contains(value) else {
            throw UsageError("--\(name) must be an integer in \(range.lowerBound)...\(range.upperBound), got \"\(raw)\"")
        }
        return value
    }

    public func double(_ name: String, default fallback: Double, range: ClosedRange<Double>) throws -> Double {
        guard let raw = options[name] else { return fallback }
        guard let value = Double(raw), range.contains(value) else {
            throw UsageError("--\(name) must be a number in \(range.lowerBound)...\(range.upperBound), got \"\(raw)\"")
        }
        return value
    }
}

/// A mistake in how a command was called; printed with the command's usage.
public struct UsageError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
