/// Kubernetes name and label syntax checks, with the messages that explain them.
public enum NameSyntax {
    public static let dns1123LabelMessage =
        "must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with "
        + "a letter or digit, at most 63 characters"
    public static let dns1123SubdomainMessage =
        "must be a DNS-1123 subdomain: dot-separated parts of lowercase letters, digits and '-', "
        + "each starting and ending with a letter or digit, at most 253 characters"
    public static let labelValueMessage =
        "must be a label value: empty, or at most 63 letters, digits, '-', '_' or '.', starting "
        + "and ending with a letter or digit"

    /// Returns whether `text` is a DNS-1123 label (RFC 1123 host name part): `[a-z0-9]([-a-z0-9]*[a-z0-9])?`,
    /// at most 63 characters. Cluster names, policy names and namespaces use this form.
    public static func isDNS1123Label(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.count <= 63 && isLabelPart(bytes[...])
    }

    /// Returns whether `text` is a DNS-1123 subdomain: labels joined by dots, at most 253 characters.
    /// Kubernetes object names use this form.
    public static func isDNS1123Subdomain(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= 253 else { return false }
        return bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
            .allSatisfy(isLabelPart)
    }

    /// Returns the problem with a label or annotation key, or nil when it is valid. A key is an
    /// optional DNS-1123 subdomain prefix and `/`, then a name of at most 63 characters.
    public static func labelKeyProblem(_ key: String) -> String? {
        let parts = key.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        let message = "must be a label key: an optional DNS-1123 subdomain prefix and '/', then a "
            + "name of at most 63 letters, digits, '-', '_' or '.', starting and ending with a "
            + "letter or digit"
        switch parts.count {
        case 1:
            return isQualifiedName(String(parts[0])) ? nil : message
        case 2:
            guard isDNS1123Subdomain(String(parts[0])), isQualifiedName(String(parts[1])) else {
                return message
            }
            return nil
        default:
            return message
        }
    }

    /// Returns whether `value` is a label value: empty, or a name of at most 63 characters.
    public static func isLabelValue(_ value: String) -> Bool {
        value.isEmpty || isQualifiedName(value)
    }

    // MARK: - Character classes

    private static func isLabelPart(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let first = bytes.first, let last = bytes.last,
              isLowercaseAlphanumeric(first), isLowercaseAlphanumeric(last) else { return false }
        return bytes.allSatisfy { isLowercaseAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    /// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`, at most 63 characters.
    private static func isQualifiedName(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, let last = bytes.last, bytes.count <= 63,
              isAlphanumeric(first), isAlphanumeric(last) else { return false }
        return bytes.allSatisfy {
            isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_")
                || $0 == UInt8(ascii: ".")
        }
    }

    private static func isLowercaseAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isLowercaseAlphanumeric(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
}
