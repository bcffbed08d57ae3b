/// Kafka topic names of the control plane. Commands go to the owner of an aggregate; events are
/// published by the relay to one topic per aggregate category.
public enum Topics {
    public static let commandsController = "drods.commands.controller"
    public static let commandsScheduler = "drods.commands.scheduler"
    public static let commandsMonitor = "drods.commands.monitor"
    public static let replies = "drods.replies"
    public static let deadLetter = "drods.deadletter"
    public static let metricsRaw = "drods.metrics.raw"
    /// Audit records of every mutating API request, written by the gateway, stored by history.
    public static let audit = "drods.audit"

    /// Event topics, one per aggregate category, named `drods.events.<category>`.
    public static let eventCategories = [
        "cluster", "policy", "workload", "work", "binding", "health", "failure", "forecast",
        "automation", "system",
    ]

    public static func events(category: String) -> String { "drods.events.\(category)" }

    /// Returns the event topic for a stream. The category is the stream id up to its first
    /// `-`, so `cluster-gcp-prod` goes to `drods.events.cluster`. Unknown categories go to
    /// `drods.events.system`, so that no event is left unpublished.
    public static func events(forStream streamID: String) -> String {
        let category = streamID.split(separator: "-", maxSplits: 1).first.map(String.init) ?? ""
        return events(category: eventCategories.contains(category) ? category : "system")
    }

    /// Every topic the control plane uses; the development broker and each service create
    /// the missing ones at start.
    public static var all: [String] {
        [commandsController, commandsScheduler, commandsMonitor, replies, deadLetter, metricsRaw, audit]
            + eventCategories.map { events(category: $0) }
    }
}
