import DRODSCore
import DRODSDomain

/// The scheduler's state of one binding, read from its stream.
struct BindingState {
    static let eventTypes: Set<String> = ["BindingRequested", "BindingScheduled", "BindingUnschedulable"]

    var id: String
    var version: Int
    var phase: String
    /// The binding document as last recorded.
    var document: JSONValue
    var request: BindingRequest?
    /// Order of arrival, for first come first served among equal priorities.
    var seq: Int64
    /// The reasons last recorded for not placing it, so an unchanged failure is not recorded
    /// again on every retry.
    var lastReasons: String?

    var isPending: Bool { phase == "Pending" || phase == "Unschedulable" }
}
