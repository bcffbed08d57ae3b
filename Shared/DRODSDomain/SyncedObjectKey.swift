/// Identifies one object of a member cluster in a sync request.
struct SyncedObjectKey: Hashable {
    let kind: String
    let namespace: String?
    let name: String

    /// Reads `kind`, `namespace` and `name` of a sync entry. Kinds are Kubernetes kind names
    /// (`ConfigMap`); namespaces are DNS-1123 labels; names are DNS-1123 subdomains.
    static func read(_ reader: ObjectReader) -> SyncedObjectKey? {
        var kind: String?
        if let field = reader.required("kind"), let text = field.string(maxLength: 63) {
            if isKindName(text) {
                kind = text
            } else {
                field.reject("must be a Kubernetes kind: a letter A-Z, then letters and digits, "
                             + "such as ConfigMap")
            }
        }
        let namespace = reader.optional("namespace")?.dnsLabel()
        let name = reader.required("name")?.dnsSubdomain()
        guard let kind, let name else { return nil }
        return SyncedObjectKey(kind: kind, namespace: namespace, name: name)
    }

    private static func isKindName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, ("A"..."Z").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy {
            ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0)
        }
    }
}
