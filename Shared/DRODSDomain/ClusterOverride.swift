import DRODSCore

/// One entry of an override policy's `overrides`: field patches for the clusters its
/// selector matches, applied in list order.
public struct ClusterOverride: Equatable, Hashable, Codable, Sendable {
    public var clusterSelector: OverrideClusterSelector
    /// Never empty after validation.
    public var fieldPatches: [FieldPatch]

    public init(clusterSelector: OverrideClusterSelector, fieldPatches: [FieldPatch]) {
        self.clusterSelector = clusterSelector
        self.fieldPatches = fieldPatches
    }

    public func jsonValue() -> JSONValue {
        .object(["clusterSelector": clusterSelector.jsonValue(),
                 "fieldPatches": .array(fieldPatches.map { $0.jsonValue() })])
    }

    static func read(_ field: JSONField) -> ClusterOverride? {
        guard let reader = field.object() else { return nil }
        reader.rejectUnknownFields(allowed: ["clusterSelector", "fieldPatches"])
        let selector = reader.required("clusterSelector").flatMap(OverrideClusterSelector.read)
        let patchFields = reader.required("fieldPatches")?.array(allowEmpty: false)
        let patches = patchFields?.compactMap(FieldPatch.read)
        guard let selector, let patches, patches.count == patchFields?.count else { return nil }
        return ClusterOverride(clusterSelector: selector, fieldPatches: patches)
    }
}
