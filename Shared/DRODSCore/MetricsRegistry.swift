import Foundation

/// In-process Prometheus metrics: counters, gauges and histograms with labels, rendered in the
/// text exposition format (version 0.0.4) for the admin port's `/metrics`.
public final class MetricsRegistry: @unchecked Sendable {
    private enum Kind: String { case counter, gauge, histogram }

    private struct Family {
        let kind: Kind
        let help: String
        var values: [String: Double] = [:]  // rendered label set -> value
        var buckets: [Double] = []
        var histograms: [String: HistogramState] = [:]
    }

    private struct HistogramState {
        var counts: [UInt64]
        var sum: Double = 0
        var count: UInt64 = 0
    }

    private let lock = NSLock()
    private var families: [String: Family] = [:]

    public init() {}

    /// Default latency buckets in seconds, from 0.5 ms to 10 s.
    public static let latencyBuckets: [Double] = [
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]

    public func increment(_ name: String, help: String, labels: [String: String] = [:],
                          by amount: Double = 1) {
        update(name, kind: .counter, help: help) { family in
            family.values[Self.render(labels), default: 0] += amount
        }
    }

    public func set(_ name: String, help: String, labels: [String: String] = [:], to value: Double) {
        update(name, kind: .gauge, help: help) { family in
            family.values[Self.render(labels)] = value
        }
    }

    public func observe(_ name: String, help: String, labels: [String: String] = [:],
                        value: Double, buckets: [Double] = MetricsRegistry.latencyBuckets) {
        update(name, kind: .histogram, help: help) { family in
            if family.buckets.isEmpty { family.buckets = buckets }
            let key = Self.render(labels)
            var state = family.histograms[key]
                ?? HistogramState(counts: Array(repeating: 0, count: family.buckets.count))
            for (index, bound) in family.buckets.enumerated() where value <= bound {
                state.counts[index] += 1
            }
            state.sum += value
            state.count += 1
            family.histograms[key] = state
        }
    }

    /// Returns the value of a counter or gauge, or nil when it was never set.
    public func value(_ name: String, labels: [String: String] = [:]) -> Double? {
        lock.withLock { families[name]?.values[Self.render(labels)] }
    }

    public func render() -> String {
        lock.lock()
        let snapshot = families
        lock.unlock()

        var out = ""
        for name in snapshot.keys.sorted() {
            let family = snapshot[name]!
            out += "# HELP \(name) \(family.help)\n# TYPE \(name) \(family.kind.rawValue)\n"
            switch family.kind {
            case .counter, .gauge:
                for key in family.values.keys.sorted() {
                    out += "\(name)\(key) \(Self.format(family.values[key]!))\n"
                }
            case .histogram:
                for key in family.histograms.keys.sorted() {
                    let state = family.histograms[key]!
                    for (index, bound) in family.buckets.enumerated() {
                        out += "\(name)_bucket\(Self.merge(key, "le", Self.format(bound))) \(state.counts[index])\n"
                    }
                    out += "\(name)_bucket\(Self.merge(key, "le", "+Inf")) \(state.count)\n"
                    out += "\(name)_sum\(key) \(Self.format(state.sum))\n"
                    out += "\(name)_count\(key) \(state.count)\n"
                }
            }
        }
        return out
    }

    // MARK: - Helpers

    private func update(_ name: String, kind: Kind, help: String, _ body: (inout Family) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        var family = families[name] ?? Family(kind: kind, help: help)
        body(&family)
        families[name] = family
    }

    private static func render(_ labels: [String: String]) -> String {
        guard !labels.isEmpty else { return "" }
        let body = labels.keys.sorted().map { "\($0)=\(escape(labels[$0]!))" }.joined(separator: ",")
        return "{\(body)}"
    }

    private static func merge(_ rendered: String, _ key: String, _ value: String) -> String {
        let extra = "\(key)=\"\(value)\""
        guard !rendered.isEmpty else { return "{\(extra)}" }
        return String(rendered.dropLast()) + ",\(extra)}"
    }

    private static func escape(_ value: String) -> String {
        var out = "\""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out + "\""
    }

    private static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
