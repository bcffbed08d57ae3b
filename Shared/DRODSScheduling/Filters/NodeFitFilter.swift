/// Rejects domains where one replica does not fit on the largest free node, even if the
/// domain's totals would hold it: ten nodes with 8 free cores each cannot run a 12-core replica.
public struct NodeFitFilter: FilterPlugin {
    public let name = "NodeFit"
    public init() {}

    public func filter(_ domain: DomainSnapshot, context: FilterContext) -> FilterFailure? {
        guard context.purpose == .placingNewReplicas else { return nil }
        let needs = context.task.requirements
        let node = domain.largestFreeNode
        guard !domain.nodeFits(needs) else { return nil }
        return FilterFailure(
            code: .noNodeFits, reason: "no node fits one replica",
            detail: context.detailed
                ? "\(domain.name): one replica needs \(needs.cpuMillis)m cpu, \(needs.memoryBytes) bytes "
                    + "of memory and \(needs.gpu) gpu; the largest free node has \(node.cpuMillis)m, "
                    + "\(node.memoryBytes) bytes and \(node.gpu)" : "")
    }
}
