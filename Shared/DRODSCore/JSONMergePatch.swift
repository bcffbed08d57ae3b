/// JSON Merge Patch (RFC 7396): a patch document that mirrors the shape of its target and
/// contains only the changes.
public enum JSONMergePatch {
    /// Applies a merge patch to a target. A patch that is not an object replaces the target. An
    /// object patch merges member by member: a null member removes that member from the target, an
    /// object member is merged recursively, and any other member (arrays included) replaces the
    /// target's member. A target that is not an object is treated as an empty object.
    public static func apply(_ patch: JSONValue, to target: JSONValue) -> JSONValue {
        guard case .object(let patchMembers) = patch else {
            return patch
        }
        var members: [String: JSONValue] = [:]
        if case .object(let targetMembers) = target {
            members = targetMembers
        }

        for (key, patchValue) in patchMembers {
            if patchValue == .null {
                members.removeValue(forKey: key)
            } else {
                // A missing member merges like a non-object one: an object patch value builds a
                // new object, dropping its own null members.
                members[key] = apply(patchValue, to: members[key] ?? .null)
            }
        }
        return .object(members)
    }
}
