import DRODSCore
import Foundation

extension ClusterStatus {
    /// Creates the status that a monitor's `ClusterHealthChanged` event data sets: `Ready`
    /// for health `ready`, and `Unknown` for `unknown`, with the silence in `message` and the
    /// time of the last load report in `lastHeartbeat` (whole seconds). Returns nil for data
    /// without a known `health`.
    public init?(healthEvent data: JSONValue) {
        switch data["health"]?.stringValue {
        case "ready":
            self.init(phase: .ready)
        case "unknown":
            let silent = data["silentSeconds"]?.doubleValue ?? 0
            var lastReport: Date?
            if let text = data["timestamp"]?.stringValue, let time = Timestamp.parse(text) {
                lastReport = Date(timeIntervalSince1970: (time.timeIntervalSince1970 - silent).rounded(.down))
            }
            self.init(phase: .unknown, message: "no load report for \(Int(silent)) s", lastHeartbeat: lastReport)
        default:
            return nil
        }
    }
}
