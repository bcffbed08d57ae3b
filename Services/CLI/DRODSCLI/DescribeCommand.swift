import DRODSCore
import Foundation

/// `drods describe binding ID`: a binding's placement, the explanation of the last decision
/// and every scheduling event of the binding.
enum DescribeCommand {
    /// History entries read at most, so that a long-lived control plane cannot make
    /// `describe` page through its whole history.
    static let historyLimit = 100_000

    static func run(_ words: [String]) throws -> Int32 {
        let arguments = try Arguments(words, valueOptions: GatewayConnection.valueOptions)
        guard arguments.positional.count == 2, ResourceType(argument: arguments.positional[0]) == .bindings else {
            throw UsageError("describe takes: binding ID")
        }
        let bindingID = arguments.positional[1]
        let connection = try GatewayConnection(arguments: arguments)
        let binding = try connection.expectSuccess("GET", "/api/v1/bindings/\(PathSegment.escape(bindingID))/status")
        // NOTE: the history endpoint has no binding filter, so this reads every entry since the
        // binding was created and keeps the binding's own.
        var query: [URLQueryItem] = []
        if let created = binding["createdAt"]?.stringValue, let date = DurationText.instant(from: created) {
            query.append(URLQueryItem(name: "startTime", value: ISO8601DateFormatter().string(from: date.addingTimeInterval(-1))))
        }
        let history = try connection.historyEntries("/api/v1/history/schedules", query: query, limit: historyLimit)
            .filter { $0["bindingId"]?.stringValue == bindingID }
        print(BindingDescription.render(binding: binding, history: history), terminator: "")
        return 0
    }
}
