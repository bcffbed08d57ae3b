import DRODSCore
import Foundation

/// Kubernetes resource quantities such as `500m`, `2`, `1.5`, `256Gi` or `1e3`, converted to
/// plain numbers in base units (cores, bytes, devices).
public enum Quantity {
    private static let binarySuffixes: [(String, Double)] = [
        ("Ki", 1024), ("Mi", 1_048_576), ("Gi", 1_073_741_824), ("Ti", 1_099_511_627_776),
        ("Pi", 1_125_899_906_842_624), ("Ei", 1_152_921_504_606_846_976),
    ]
    private static let decimalSuffixes: [(String, Double)] = [
        ("n", 1e-9), ("u", 1e-6), ("m", 1e-3), ("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12),
        ("P", 1e15), ("E", 1e18),
    ]

    /// Parses a quantity string. Accepts a non-negative number with an optional binary suffix
    /// (`Ki` … `Ei`), decimal suffix (`n` … `E`) or exponent (`e3`), and returns nil otherwise.
    public static func parse(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        for (suffix, factor) in binarySuffixes + decimalSuffixes where trimmed.hasSuffix(suffix) {
            return number(String(trimmed.dropLast(suffix.count))).map { $0 * factor }
        }
        return number(trimmed)
    }

    /// Reads a JSON quantity, which Kubernetes accepts as a string or a bare number.
    public static func parse(_ value: JSONValue?) -> Double? {
        switch value {
        case .string(let text): parse(text)
        case .number(let number): number >= 0 ? number : nil
        default: nil
        }
    }

    /// Formats cores: whole numbers as `8`, fractions in millicores as `2500m`.
    public static func formatCPU(_ cores: Double) -> String {
        let millicores = (cores * 1000).rounded()
        if millicores.truncatingRemainder(dividingBy: 1000) == 0 {
            return String(Int(millicores / 1000))
        }
        return "\(Int(millicores))m"
    }

    /// Formats bytes with the largest binary suffix that divides them exactly, such as `256Gi`.
    public static func formatBytes(_ bytes: Double) -> String {
        let whole = bytes.rounded()
        for (suffix, factor) in binarySuffixes.reversed()
        where whole >= factor && whole.truncatingRemainder(dividingBy: factor) == 0 {
            return "\(Int(whole / factor))\(suffix)"
        }
        return String(Int(whole))
    }

    /// Parses a plain decimal number with an optional `e`/`E` exponent and no sign.
    private static func number(_ text: String) -> Double? {
        guard let first = text.first, first.isNumber || first == "." else { return nil }
        guard text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "e" || $0 == "E" || $0 == "+" || $0 == "-") })
        else { return nil }
        guard let value = Double(text), value.isFinite, value >= 0 else { return nil }
        return value
    }
}
