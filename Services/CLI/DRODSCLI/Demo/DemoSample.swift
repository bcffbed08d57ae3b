/// One reading of the live view and the binding phases.
struct DemoSample: Equatable, Sendable {
    /// One member cluster's last report.
    struct Domain: Equatable, Sendable {
        var waterLevel: Double
        var cpuUsedMillis: Double
        var memoryUsedBytes: Double
        /// Whether the cluster reported within the live view's activity window.
        var active: Bool
    }

    /// Wall-clock seconds since the replay started.
    var time: Double
    var domains: [String: Domain]
    /// Demo bindings per phase, from the schedule history read so far.
    var phases: [String: Int]
}

/// One entry of the schedule history, reduced to what the report needs.
struct ScheduleEvent: Equatable, Sendable {
    /// Position in the event log; increases with every event.
    var seq: Int64
    /// Wall-clock seconds since the replay started.
    var time: Double
    var bindingID: String
    /// Event type, such as `BindingScheduled` or `BindingRescheduled`.
    var event: String
    var phase: String
    /// Replicas per cluster after the event; empty when nothing is placed.
    var placement: [String: Int]
    /// `explanation.summary` of the binding, the grouped filter reasons.
    var summary: String
}

/// The failure the demo injects: which cluster went down, and when.
struct DemoFault: Equatable, Sendable {
    var domain: String
    /// Wall-clock seconds since the replay started.
    var time: Double
}
