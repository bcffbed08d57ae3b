import DRODSCore

/// Reads the Kubernetes-style envelope shared by the control plane's policy kinds:
/// `apiVersion`, `kind`, `metadata` and `spec`. A `status` in the input is ignored because
/// the server maintains it.
enum PolicyDocument {
    static let apiVersion = "multicluster.io/v1alpha1"

    /// Reads the metadata and returns it with a reader for `spec`. Either is nil when invalid
    /// or missing, and then its error is recorded. Unknown top-level fields are reported.
    static func read(_ input: JSONValue, kind: String,
                     collector: ErrorCollector) -> (metadata: ObjectMeta?, spec: ObjectReader?) {
        guard let reader = ObjectReader.document(input, collector: collector) else { return (nil, nil) }
        reader.rejectUnknownFields(allowed: ["apiVersion", "kind", "metadata", "spec"],
                                   ignored: ["status"])

        if let field = reader.required("apiVersion"), let text = field.string(), text != apiVersion {
            field.reject("must be \(apiVersion), got \(text)")
        }
        if let field = reader.required("kind"), let text = field.string(), text != kind {
            field.reject("must be \(kind), got \(text)")
        }
        let metadata = reader.required("metadata").flatMap(ObjectMeta.read)
        let spec = reader.required("spec")?.object()
        return (metadata, spec)
    }

    static func jsonValue(kind: String, metadata: ObjectMeta, spec: [String: JSONValue],
                          status: JSONValue) -> JSONValue {
        .object([
            "apiVersion": .string(apiVersion),
            "kind": .string(kind),
            "metadata": metadata.jsonValue(),
            "spec": .object(spec),
            "status": status,
        ])
    }
}
