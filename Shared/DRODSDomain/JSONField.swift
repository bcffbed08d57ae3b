import DRODSCore
import Foundation

/// One input value with its path. The typed accessors return nil and record a field error when
/// the value has the wrong type or is out of range, so a validator can read every field and
/// report all problems at once.
struct JSONField {
    let value: JSONValue
    let path: String
    let collector: ErrorCollector

    func reject(_ message: String) {
        collector.add(path, message)
    }

    // MARK: - Scalars

    func string(maxLength: Int? = nil, allowEmpty: Bool = false) -> String? {
        guard case .string(let text) = value else {
            reject("must be a string")
            return nil
        }
        if !allowEmpty, text.isEmpty {
            reject("must not be empty")
            return nil
        }
        if let maxLength, text.count > maxLength {
            reject("must be at most \(maxLength) characters, got \(text.count)")
            return nil
        }
        return text
    }

    func dnsLabel() -> String? {
        guard let text = string() else { return nil }
        guard NameSyntax.isDNS1123Label(text) else {
            reject(NameSyntax.dns1123LabelMessage)
            return nil
        }
        return text
    }

    func dnsSubdomain() -> String? {
        guard let text = string() else { return nil }
        guard NameSyntax.isDNS1123Subdomain(text) else {
            reject(NameSyntax.dns1123SubdomainMessage)
            return nil
        }
        return text
    }

    func bool() -> Bool? {
        guard case .bool(let flag) = value else {
            reject("must be true or false")
            return nil
        }
        return flag
    }

    /// Reads an integral JSON number within `range`. JSON has one number type, so `2.0` is accepted
    /// as 2 and `2.5` is rejected.
    func integer(in range: ClosedRange<Int>) -> Int? {
        let rangeText = Self.describe(range)
        guard case .number(let number) = value, number.isFinite, number.rounded() == number,
              let integer = Int(exactly: number) else {
            reject("must be an integer \(rangeText)")
            return nil
        }
        guard range.contains(integer) else {
            reject("must be an integer \(rangeText), got \(integer)")
            return nil
        }
        return integer
    }

    /// Reads a finite JSON number for which `accept` is true. `requirement` completes the
    /// message "must be a number ...", such as "between 0 and 100".
    func number(_ requirement: String, accept: (Double) -> Bool) -> Double? {
        guard case .number(let number) = value, number.isFinite else {
            reject("must be a number \(requirement)")
            return nil
        }
        guard accept(number) else {
            reject("must be a number \(requirement), got \(Self.format(number))")
            return nil
        }
        return number
    }

    func enumeration<Value: RawRepresentable & CaseIterable>(_ type: Value.Type) -> Value?
    where Value.RawValue == String {
        let accepted = Value.allCases.map(\.rawValue).joined(separator: ", ")
        guard case .string(let text) = value, let parsed = Value(rawValue: text) else {
            reject("must be one of \(accepted)")
            return nil
        }
        return parsed
    }

    func quantity() -> Quantity? {
        do {
            return try Quantity.parse(value)
        } catch let error as QuantityError {
            reject(error.message)
            return nil
        } catch {
            reject("must be a resource quantity such as 500m, 2 or 1Gi")
            return nil
        }
    }

    /// Reads an RFC 3339 timestamp with a time zone, such as `2023-07-20T08:30:00Z`.
    func timestamp() -> Date? {
        guard case .string(let text) = value, let date = Timestamp.parse(text) else {
            reject("must be an ISO 8601 timestamp with a time zone, such as 2023-07-20T08:30:00Z")
            return nil
        }
        return date
    }

    // MARK: - Containers

    func object() -> ObjectReader? {
        guard case .object(let members) = value else {
            reject("must be a JSON object")
            return nil
        }
        return ObjectReader(members: members, path: path, collector: collector)
    }

    func array(maxCount: Int? = nil, allowEmpty: Bool = true) -> [JSONField]? {
        guard case .array(let elements) = value else {
            reject("must be an array")
            return nil
        }
        if !allowEmpty, elements.isEmpty {
            reject("must not be empty")
            return nil
        }
        if let maxCount, elements.count > maxCount {
            reject("must have at most \(maxCount) entries, got \(elements.count)")
            return nil
        }
        return elements.enumerated().map { index, element in
            JSONField(value: element, path: FieldPathText.appending(index: index, to: path),
                      collector: collector)
        }
    }

    /// Reads an array whose entries are read by `read`. A repeated entry is reported at its index.
    func uniqueArray<Element: Hashable>(allowEmpty: Bool = true, maxCount: Int? = nil,
                                        _ read: (JSONField) -> Element?) -> [Element]? {
        guard let fields = array(maxCount: maxCount, allowEmpty: allowEmpty) else { return nil }
        var seen: Set<Element> = []
        var result: [Element] = []
        for field in fields {
            guard let element = read(field) else { continue }
            if seen.insert(element).inserted {
                result.append(element)
            } else {
                field.reject("repeats an earlier entry; each entry may appear once")
            }
        }
        return result
    }

    /// Reads a map of Kubernetes labels, with keys and values in label syntax.
    func labels() -> [String: String]? {
        guard let reader = object() else { return nil }
        var labels: [String: String] = [:]
        for key in reader.members.keys.sorted() {
            let keyPath = FieldPathText.appending(key, to: path)
            if let problem = NameSyntax.labelKeyProblem(key) {
                collector.add(keyPath, problem)
                continue
            }
            guard case .string(let labelValue) = reader.members[key] else {
                collector.add(keyPath, "must be a string")
                continue
            }
            guard NameSyntax.isLabelValue(labelValue) else {
                collector.add(keyPath, NameSyntax.labelValueMessage)
                continue
            }
            labels[key] = labelValue
        }
        return labels
    }

    // MARK: - Formatting

    private static func describe(_ range: ClosedRange<Int>) -> String {
        if range.upperBound == Int.max { return "of at least \(range.lowerBound)" }
        return "between \(range.lowerBound) and \(range.upperBound)"
    }

    static func format(_ number: Double) -> String {
        if number.rounded() == number, abs(number) < 1e15 { return String(Int(number)) }
        return String(number)
    }
}
