extension PropagationPolicy {
    /// Returns whether the policy applies to `workload`. The kind must match, and so must the
    /// namespace, names and labels wherever the policy sets them.
    public func selects(_ workload: Workload) -> Bool {
        guard workload.kind == resourceType else { return false }
        if let namespace, workload.namespace != namespace { return false }
        if !resourceNames.isEmpty, !resourceNames.contains(workload.name) { return false }
        return labelSelector.allSatisfy { workload.labels[$0.key] == $0.value }
    }

    public var placementTarget: PlacementTarget {
        PlacementTarget(clusterNames: targetClusters)
    }
}

extension ResourcePlacementPolicy {
    public func selects(_ workload: Workload) -> Bool {
        spec.resourceSelector.matches(workload)
    }

    public var placementTarget: PlacementTarget {
        PlacementTarget(clusterTargets: spec.targetClusters)
    }
}

extension BindingPlacement {
    public var placementTarget: PlacementTarget {
        PlacementTarget(clusterNames: targetClusters)
    }
}
