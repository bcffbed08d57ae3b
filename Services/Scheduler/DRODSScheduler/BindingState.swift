import DRODSCore
import DRODSDomain

/// The scheduler's state of one binding, read from its stream.
struct BindingState {
    static let eventTypes: Set<String> = [
        "BindingRequested", "BindingScheduled", "BindingUnschedulable", "BindingRescheduled", "BindingRemoved",
    ]

    var id: String
    var version: Int
    var phase: String
    /// The binding document as last recorded.
    var document: JSONValue {
        didSet { pendingReplicas = Self.pendingReplicas(in: document) }
    }
    var request: BindingRequest?
    /// Order of arrival, for first come first served among equal priorities.
    var seq: Int64
    /// The reasons last recorded for not placing it, so an unchanged failure is not recorded
    /// again on every retry.
    var lastReasons: String?

    var isPending: Bool { phase == "Pending" || phase == "Unschedulable" }

    /// Whether some of its replicas are assigned, so that a change in the fleet or its policy
    /// may move them.
    var isPlaced: Bool { phase == "Scheduled" || phase == "PartiallyScheduled" }

    var isRemoved: Bool { phase == "Removed" }

    /// Replicas per cluster as last recorded.
    var placement: [String: Int] {
        guard case .object(let members) = document["placement"] ?? .null else { return [:] }
        return members.compactMapValues { $0.doubleValue.map { Int($0) } }.filter { $0.value > 0 }
    }

    /// Replicas the last decision could not place, read from `document` when it is set: every
    /// pass over the placed bindings checks it.
    private(set) var pendingReplicas: Int

    init(id: String, version: Int, phase: String, document: JSONValue, request: BindingRequest?, seq: Int64,
         lastReasons: String?) {
        self.id = id
        self.version = version
        self.phase = phase
        self.document = document
        self.request = request
        self.seq = seq
        self.lastReasons = lastReasons
        pendingReplicas = Self.pendingReplicas(in: document)
    }

    private static func pendingReplicas(in document: JSONValue) -> Int {
        Int(document["pendingReplicas"]?.doubleValue ?? 0)
    }

    var priority: Int { request?.priority ?? 0 }
}

/// The scheduler's bindings by id, with the ids that every pass visits kept apart: passes run
/// after each batch of events, and scanning every binding ever recorded made each pass cost
/// more the longer the scheduler ran.
struct BindingTable {
    private var byID: [String: BindingState] = [:]
    /// Bindings waiting for a first placement (`isPending`).
    private(set) var pendingIDs: Set<String> = []
    /// Placed bindings with replicas that the last decision could not place.
    private(set) var partlyPlacedIDs: Set<String> = []

    subscript(id: String) -> BindingState? {
        get { byID[id] }
        set {
            byID[id] = newValue
            if newValue?.isPending == true { pendingIDs.insert(id) } else { pendingIDs.remove(id) }
            if let binding = newValue, binding.isPlaced, binding.pendingReplicas > 0 {
                partlyPlacedIDs.insert(id)
            } else {
                partlyPlacedIDs.remove(id)
            }
        }
    }

    var values: Dictionary<String, BindingState>.Values { byID.values }

    var pending: [BindingState] { pendingIDs.compactMap { byID[$0] } }

    var partlyPlaced: [BindingState] { partlyPlacedIDs.compactMap { byID[$0] } }
}
