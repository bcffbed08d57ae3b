/// Timing of the simulated kubelets and controllers, in seconds.
public struct ClusterBehavior: Sendable, Equatable {
    /// Time from binding a pod to a node until it reports Running and ready.
    public var podReadyDelaySeconds: Double
    /// Time a job's pod runs before it succeeds, unless the job sets the annotation
    /// `membersim.drods.io/run-seconds`.
    public var jobRunSeconds: Double

    public init(podReadyDelaySeconds: Double = 2, jobRunSeconds: Double = 10) {
        self.podReadyDelaySeconds = podReadyDelaySeconds
        self.jobRunSeconds = jobRunSeconds
    }
}
