import DRODSDomain

/// Rejects domains with a NoSchedule or NoExecute taint the task does not tolerate.
///
/// Running replicas stay on a domain with a new NoSchedule taint, as pods stay on a Kubernetes
/// node; NoExecute removes them. PreferNoSchedule never rejects; the preference factor lowers
/// the domain's score instead.
public struct TaintFilter: FilterPlugin {
    public let name = "Taint"
    public init() {}

    public func filter(_ domain: DomainSnapshot, context: FilterContext) -> FilterFailure? {
        guard !domain.taints.isEmpty else { return nil }
        let placing = context.purpose == .placingNewReplicas
        let tolerations = context.task.constraints.tolerations
        let untolerated = domain.taints.first { taint in
            let blocks = taint.effect == .noExecute || (placing && taint.effect == .noSchedule)
            return blocks && !tolerations.contains { $0.tolerates(taint) }
        }
        guard let taint = untolerated else { return nil }
        return FilterFailure(code: .untoleratedTaint, reason: "untolerated taint",
                             detail: context.detailed
                                ? "\(domain.name) has taint \(taint.key)"
                                    + "\(taint.value.map { "=\($0)" } ?? ""):\(taint.effect.rawValue)" : "")
    }
}
