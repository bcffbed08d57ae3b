import DRODSCore

/// Produces the manifest a member cluster receives for a workload.
public enum WorkloadRenderer {
    /// Returns the override policies that change `workload` in `cluster`, sorted by policy
    /// name, which is the order `render` applies them in.
    public static func applicableOverrides(_ overrides: [ClusterOverridePolicy], workload: Workload,
                                           cluster: Cluster) -> [ClusterOverridePolicy] {
        overrides.filter { $0.applies(to: workload, in: cluster) }.sorted { $0.name < $1.name }
    }

    /// Renders `workload` for `cluster`. It applies the field patches of the matching override
    /// policies in policy-name order, and the patches of one policy in their listed order, so
    /// a later patch of the same path wins. Then it sets the replica count (`spec.replicas`, or
    /// `spec.parallelism` for a Job), which therefore wins over an override of the same field.
    ///
    /// - Parameter replicas: this cluster's share of the replicas, within `Workload.replicaRange`;
    ///   nil keeps the workload's own count.
    /// - Throws: `RenderError` when a patch path cannot be set in the manifest, for example an
    ///   index beyond the end of an array, or when `replicas` is out of range.
    public static func render(workload: Workload, for cluster: Cluster, replicas: Int? = nil,
                              overrides: [ClusterOverridePolicy]) throws -> JSONValue {
        let count = replicas ?? workload.replicas
        let replicaPath = FieldPath(segments: [.key("spec"), .key(workload.kind.replicaField)])
        guard Workload.replicaRange.contains(count) else {
            throw RenderError(policy: nil, path: replicaPath.description,
                              message: "replica count \(count) is outside 0...\(Workload.replicaRange.upperBound)")
        }

        var manifest = workload.manifest
        for policy in applicableOverrides(overrides, workload: workload, cluster: cluster) {
            for patch in policy.fieldPatches(for: workload, in: cluster) {
                do {
                    manifest = try FieldPath.parse(patch.path).set(patch.value, in: manifest)
                } catch let error as FieldPathError {
                    throw RenderError(policy: policy.name, path: patch.path, message: error.message)
                }
            }
        }
        do {
            return try replicaPath.set(.number(Double(count)), in: manifest)
        } catch let error as FieldPathError {
            throw RenderError(policy: nil, path: replicaPath.description, message: error.message)
        }
    }
}
