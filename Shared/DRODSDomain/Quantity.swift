import DRODSCore

/// A Kubernetes resource quantity (`100m`, `0.5`, `2`, `1Gi`, `512Mi`, `1G`, `1e3`, `1.5Ki`),
/// stored exactly as thousandths of a unit.
///
/// The grammar is Kubernetes': an optional sign, a decimal number, then either a decimal SI
/// suffix (`n u m k M G T P E`), a binary suffix (`Ki Mi Gi Ti Pi Ei`) or an exponent (`e3`,
/// `E-2`). Values finer than a thousandth are rounded up, as Kubernetes does for millicores.
public struct Quantity: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Thousandths of a unit: millicores for CPU, millibytes for memory.
    public let milliValue: Int64

    /// Largest `milliValue`; about 9.2e15 whole units (8 PiB in bytes).
    public static let maxMilliValue = Int64.max

    public init(milliValue: Int64) {
        self.milliValue = milliValue
    }

    public static let zero = Quantity(milliValue: 0)

    /// Whole units (cores, bytes, devices), rounded up.
    public var value: Int64 {
        let (quotient, remainder) = milliValue.quotientAndRemainder(dividingBy: 1000)
        return remainder > 0 ? quotient + 1 : quotient
    }

    /// Whether the quantity is a whole number of units, as device counts must be.
    public var isWholeNumber: Bool { milliValue % 1000 == 0 }

    public static func < (lhs: Quantity, rhs: Quantity) -> Bool {
        lhs.milliValue < rhs.milliValue
    }

    /// Canonical text: whole units when exact, otherwise millis (`1500m`).
    public var description: String {
        isWholeNumber ? String(milliValue / 1000) : "\(milliValue)m"
    }

    // MARK: - Parsing

    /// Parses a JSON string in quantity syntax, or a JSON number of units.
    public static func parse(_ json: JSONValue) throws -> Quantity {
        switch json {
        case .string(let text):
            return try parse(text)
        case .number(let number) where number.isFinite:
            return try parse(String(number))
        default:
            throw QuantityError(text: "\(json)", reason: "not a string or number")
        }
    }

    public static func parse(_ text: String) throws -> Quantity {
        var rest = Substring(text)
        var negative = false
        if let sign = rest.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            rest = rest.dropFirst()
        }

        let integerDigits = rest.prefix { $0.isASCII && $0.isNumber }
        rest = rest.dropFirst(integerDigits.count)
        var fractionDigits = Substring()
        if rest.first == "." {
            rest = rest.dropFirst()
            fractionDigits = rest.prefix { $0.isASCII && $0.isNumber }
            rest = rest.dropFirst(fractionDigits.count)
        }
        guard !integerDigits.isEmpty || !fractionDigits.isEmpty else {
            throw QuantityError(text: text, reason: "it does not start with a number")
        }
        guard let scale = suffixScale(rest) else {
            throw QuantityError(
                text: text,
                reason: "unknown suffix \"\(rest)\"; accepted are n, u, m, k, M, G, T, P, E, "
                    + "Ki, Mi, Gi, Ti, Pi, Ei or an exponent such as e3")
        }

        // The number is digits × 10^(decimalExponent) × 2^(binaryExponent), in thousandths.
        var digits = Substring(integerDigits + fractionDigits).drop { $0 == "0" }
        var decimalExponent = scale.decimal - fractionDigits.count + 3
        while digits.last == "0" {
            digits = digits.dropLast()
            decimalExponent += 1
        }
        if digits.isEmpty { return .zero }
        guard digits.count <= 18, let significand = Int64(digits) else {
            throw QuantityError(text: text, reason: "more than 18 significant digits")
        }
        guard let magnitude = scaled(significand, binaryExponent: scale.binary,
                                     decimalExponent: decimalExponent, roundUp: !negative) else {
            throw QuantityError(text: text,
                                reason: "too large; at most about 9.2e15 units are supported")
        }
        return Quantity(milliValue: negative ? -magnitude : magnitude)
    }

    private static let decimalSuffixes: [Substring: Int] = [
        "n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18,
    ]
    private static let binarySuffixes: [Substring: Int] = [
        "Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60,
    ]

    private static func suffixScale(_ suffix: Substring) -> (decimal: Int, binary: Int)? {
        if let exponent = decimalSuffixes[suffix] { return (exponent, 0) }
        if let exponent = binarySuffixes[suffix] { return (0, exponent) }
        guard let marker = suffix.first, marker == "e" || marker == "E" else { return nil }
        var exponentText = suffix.dropFirst()
        var exponentSign = 1
        if let sign = exponentText.first, sign == "+" || sign == "-" {
            exponentSign = sign == "-" ? -1 : 1
            exponentText = exponentText.dropFirst()
        }
        // Three digits are enough: any larger exponent overflows or rounds to the smallest unit.
        guard (1...3).contains(exponentText.count),
              exponentText.allSatisfy({ $0.isASCII && $0.isNumber }),
              let exponent = Int(exponentText) else { return nil }
        return (exponentSign * exponent, 0)
    }

    /// `significand × 2^binaryExponent × 10^decimalExponent` with overflow checks; a fraction
    /// is rounded away from zero when `roundUp` is set, otherwise towards zero.
    private static func scaled(_ significand: Int64, binaryExponent: Int, decimalExponent: Int,
                               roundUp: Bool) -> Int64? {
        var result = significand
        if binaryExponent > 0 {
            let (shifted, overflow) = result.multipliedReportingOverflow(by: 1 << binaryExponent)
            if overflow { return nil }
            result = shifted
        }
        if decimalExponent >= 0 {
            for _ in 0..<decimalExponent {
                let (product, overflow) = result.multipliedReportingOverflow(by: 10)
                if overflow { return nil }
                result = product
            }
            return result
        }
        // 10^19 exceeds Int64, and any positive significand divided by it is below one.
        guard -decimalExponent <= 18 else { return roundUp ? 1 : 0 }
        var divisor: Int64 = 1
        for _ in 0..<(-decimalExponent) { divisor *= 10 }
        let (quotient, remainder) = result.quotientAndRemainder(dividingBy: divisor)
        return remainder > 0 && roundUp ? quotient + 1 : quotient
    }

    // MARK: - Codable

    public init(from decoder: Decoder) throws {
        let json = try JSONValue(from: decoder)
        self = try Quantity.parse(json)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
