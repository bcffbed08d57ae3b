import DRODSCore
import Foundation

/// `drods history schedules|failures [--since DURATION|TIME] [--max N]`: the scheduling or
/// failure history as a table, oldest first.
enum HistoryCommand {
    static func run(_ words: [String]) throws -> Int32 {
        let arguments = try Arguments(OutputFormat.normalize(words),
                                      valueOptions: GatewayConnection.valueOptions.union(["since", "max", "output"]))
        guard arguments.positional.count == 1, ["schedules", "failures"].contains(arguments.positional[0]) else {
            throw UsageError("history takes: schedules or failures")
        }
        let kind = arguments.positional[0]
        let limit = try arguments.int("max", default: 100, range: 1...100_000)
        let format = try OutputFormat(arguments: arguments)
        var query: [URLQueryItem] = []
        if let since = arguments.options["since"] {
            guard let start = startTime(since, now: Date()) else {
                throw UsageError("--since takes a duration such as 30m, 2h or 7d, or an ISO 8601 time, got \"\(since)\"")
            }
            query.append(URLQueryItem(name: "startTime", value: ISO8601DateFormatter().string(from: start)))
        }
        let connection = try GatewayConnection(arguments: arguments)
        let entries = try connection.historyEntries("/api/v1/history/\(kind)", query: query, limit: limit)

        switch format {
        case .json, .yaml:
            print(try format.render(.array(entries)), terminator: "")
        case .table, .wide:
            if entries.isEmpty {
                FileHandle.standardError.write(Data("No \(kind == "schedules" ? "scheduling events" : "failures") found.\n".utf8))
            } else {
                let table = kind == "schedules" ? HistoryTables.schedules(entries) : HistoryTables.failures(entries)
                print(table.render(), terminator: "")
            }
        }
        return 0
    }

    /// Returns the start of the window `--since` names: a duration before `now`, or an
    /// ISO 8601 instant.
    static func startTime(_ text: String, now: Date) -> Date? {
        if let seconds = DurationText.seconds(from: text) { return now.addingTimeInterval(-seconds) }
        return DurationText.instant(from: text)
    }
}
