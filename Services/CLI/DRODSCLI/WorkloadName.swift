import DRODSCore

/// The ways a user may name a workload on the command line: `name`, `namespace/name` or
/// `Kind/namespace/name` (kind in any case, namespace `default` when the manifest names none).
public enum WorkloadName {
    public static func matches(_ manifest: JSONValue, _ argument: String) -> Bool {
        guard let name = manifest["metadata"]?["name"]?.stringValue else { return false }
        let namespace = manifest["metadata"]?["namespace"]?.stringValue ?? "default"
        let kind = manifest["kind"]?.stringValue ?? ""
        let parts = argument.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        switch parts.count {
        case 1: return parts[0] == name
        case 2: return parts[0] == namespace && parts[1] == name
        case 3: return parts[0].lowercased() == kind.lowercased() && parts[1] == namespace && parts[2] == name
        default: return false
        }
    }
}
