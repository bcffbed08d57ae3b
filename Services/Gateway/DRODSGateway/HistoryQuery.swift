import DRODSCore
import DRODSHTTP
import Foundation

/// The query of a history endpoint: a time window, a page size and a cursor.
///
/// `startTime` and `endTime` are ISO 8601 instants, and the window includes its start and
/// excludes its end. `maxEntries` is 1 to `maxPage` (default 100). `cursor` is the opaque
/// `nextCursor` of the previous page.
struct HistoryQuery: Sendable {
    static let defaultPage = 100
    static let maxPage = 1000

    var start: Date?
    var end: Date?
    var limit: Int
    /// Sequence number after which the page starts.
    var afterSeq: Int64

    static func parse(_ request: HTTPRequest) throws -> HistoryQuery {
        let known: Set<String> = ["startTime", "endTime", "maxEntries", "cursor"]
        if let unknown = request.query.keys.sorted().first(where: { !known.contains($0) }) {
            throw invalid(unknown, "is not a known parameter; use startTime, endTime, maxEntries or cursor")
        }
        var query = HistoryQuery(start: nil, end: nil, limit: defaultPage, afterSeq: 0)
        if let text = request.query["startTime"] {
            guard let date = parseTime(text) else { throw invalid("startTime", "must be an ISO 8601 time such as 2025-05-01T00:00:00Z") }
            query.start = date
        }
        if let text = request.query["endTime"] {
            guard let date = parseTime(text) else { throw invalid("endTime", "must be an ISO 8601 time such as 2025-05-02T00:00:00Z") }
            query.end = date
        }
        if let start = query.start, let end = query.end, end <= start {
            throw invalid("endTime", "must be after startTime")
        }
        if let text = request.query["maxEntries"] {
            guard let value = Int(text), (1...maxPage).contains(value) else {
                throw invalid("maxEntries", "must be an integer from 1 to \(maxPage)")
            }
            query.limit = value
        }
        if let text = request.query["cursor"] {
            guard let data = Data(base64Encoded: text), let decoded = String(data: data, encoding: .utf8),
                  decoded.hasPrefix("seq:"), let seq = Int64(decoded.dropFirst(4)), seq >= 0 else {
                throw invalid("cursor", "is not a cursor this API returned")
            }
            query.afterSeq = seq
        }
        return query
    }

    static func cursor(after seq: Int64) -> String {
        Data("seq:\(seq)".utf8).base64EncodedString()
    }

    static func parseTime(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }

    static func format(_ date: Date?) -> String? {
        date.map { ISO8601DateFormatter().string(from: $0) }
    }

    private static func invalid(_ field: String, _ message: String) -> APIRejection {
        APIRejection(code: "INVALID_QUERY", message: "\(field) \(message)",
                     details: ["errors": .array([.object(["field": .string(field), "message": .string(message)])])])
    }
}
