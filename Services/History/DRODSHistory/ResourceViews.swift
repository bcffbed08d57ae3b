import DRODSCore
import DRODSDomain

/// The API representation of a stored resource document.
public enum ResourceViews {
    /// Returns what the API shows of `document`. Clusters hide their sealed credentials
    /// behind `hasCredentials`; a stored cluster that does not decode is shown without any
    /// field that could hold credentials. Other kinds are stored in their API form.
    public static func view(of document: JSONValue, kind: ResourceKind) -> JSONValue {
        guard kind == .cluster else { return document }
        if let data = try? WireJSON.encode(document), let cluster = try? WireJSON.decode(Cluster.self, from: data) {
            return cluster.jsonValue()
        }
        guard case .object(var members) = document else { return document }
        members["encryptedCredentials"] = nil
        members["credentials"] = nil
        return .object(members)
    }

    /// Returns a cluster's view with `status` in place of the one it has.
    static func withStatus(_ view: JSONValue, _ status: JSONValue) -> JSONValue {
        guard case .object(var members) = view else { return view }
        members["status"] = status
        return .object(members)
    }
}
