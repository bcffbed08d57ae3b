/// The result of scheduling one task, with everything needed to explain it.
public struct Decision: Equatable, Sendable {
    public enum Outcome: String, Codable, Sendable {
        /// Every requested replica has a healthy domain.
        case scheduled
        /// Some replicas are placed and the rest are pending; only when the task allows it.
        case partial
        /// The task cannot be placed as requested; running replicas stay where they are.
        case unschedulable
    }

    public var taskID: String
    public var outcome: Outcome
    /// Replicas per domain after the decision, including replicas kept on a failed domain
    /// because nothing else could take them; domains with 0 are left out.
    public var assignments: [String: Int]
    /// Replicas left on domains that no longer pass the filters, because no other domain had
    /// room; they are also counted in `assignments` and in `pendingReplicas`.
    public var retained: [String: Int]
    /// Requested replicas (for duplicated tasks, replica copies) without a healthy place.
    public var pendingReplicas: Int
    /// Changes against the task's existing assignments.
    public var moves: [ReplicaMove]
    /// New replicas to record as reserved on their domains.
    public var reservations: [Reservation]
    /// Scores of the best `SchedulerConfiguration.explainedDomains` domains that passed the
    /// filters, best first, then of up to as many other domains that receive replicas.
    public var scores: [DomainScore]
    /// Factor weights used for the scores, summing to 1.
    public var weights: FactorWeights
    /// Mean water level of the ready domains that drove the weight adaptation.
    public var fleetLoad: Double
    public var filterSummary: FilterSummary
    /// Reasons the task is not fully scheduled, and constraints that were not honoured.
    public var reasons: [String]

    public init(taskID: String, outcome: Outcome, assignments: [String: Int], retained: [String: Int],
                pendingReplicas: Int, moves: [ReplicaMove], reservations: [Reservation],
                scores: [DomainScore], weights: FactorWeights, fleetLoad: Double,
                filterSummary: FilterSummary, reasons: [String]) {
        self.taskID = taskID
        self.outcome = outcome
        self.assignments = assignments
        self.retained = retained
        self.pendingReplicas = pendingReplicas
        self.moves = moves
        self.reservations = reservations
        self.scores = scores
        self.weights = weights
        self.fleetLoad = fleetLoad
        self.filterSummary = filterSummary
        self.reasons = reasons
    }

    /// Replicas that change domain (scale-ups and scale-downs not counted).
    public var movedReplicas: Int {
        moves.filter { $0.from != nil && $0.to != nil }.reduce(0) { $0 + $1.replicas }
    }
}
