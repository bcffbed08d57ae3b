/// The result of one demo task, by the best decision the scheduler ever made for it. A task
/// that was scheduled once stays counted as scheduled after its workload is deleted, so
/// counts of outcomes only grow during a run.
enum DemoOutcome: Int, Comparable, Sendable {
    /// No decision yet: still pending, or deleted before the scheduler decided.
    case undecided
    /// Every decision so far placed none of its replicas.
    case unschedulable
    /// Some replicas placed, never all.
    case partiallyScheduled
    /// All replicas placed at least once.
    case scheduled

    /// Creates the outcome that one decision's binding `phase` shows.
    init(phase: String) {
        switch phase {
        case "Scheduled": self = .scheduled
        case "PartiallyScheduled": self = .partiallyScheduled
        case "Unschedulable": self = .unschedulable
        default: self = .undecided
        }
    }

    static func < (left: DemoOutcome, right: DemoOutcome) -> Bool { left.rawValue < right.rawValue }
}
