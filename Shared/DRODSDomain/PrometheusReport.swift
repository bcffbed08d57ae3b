import DRODSCore
import Foundation

/// Reads a load report in the Prometheus text exposition format, for agents that expose their
/// cluster's metrics that way, and turns it into the JSON report of `PUT /api/v1/metrics`,
/// which `MetricsReport.validate` then checks as usual. Pure: no I/O.
///
/// Samples carry the cluster in a `cluster` label. The names read are:
///
/// | metric | labels | report field |
/// | --- | --- | --- |
/// | `drods_cluster_cpu_usage_percent` | | `cpuUsage` |
/// | `drods_cluster_memory_available_gib` | | `memoryAvailable` |
/// | `drods_cluster_cpu_millicores` | `kind="total"` or `"used"` | `cpuTotalMillis`, `cpuUsedMillis` |
/// | `drods_cluster_memory_bytes` | `kind` | `memoryTotalBytes`, `memoryUsedBytes` |
/// | `drods_cluster_gpus` | `kind`, optional `model` | `gpuTotal`, `gpuUsed`, `gpuByModel` |
/// | `drods_cluster_pods` | `kind` | `podsTotal`, `podsUsed` |
/// | `drods_cluster_network_bits_per_second` | | `networkTrafficBps` |
/// | `drods_cluster_nodes` | `state="ready"` or `"not_ready"` | `nodes` |
///
/// Other metrics are ignored, so a full exporter's output can be sent as it is. The report's
/// time is the newest sample timestamp (milliseconds), or `now` when samples have none.
public enum PrometheusReport {
    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public let line: Int
        public let message: String
        public var description: String { "line \(line): \(message)" }
    }

    struct Sample {
        var name: String
        var labels: [String: String]
        var value: Double
        var timestampMs: Int64?
    }

    public static func report(from text: String, now: Date) throws -> JSONValue {
        var samples: [Sample] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            samples.append(try sample(line, number: index + 1))
        }
        let ours = samples.filter { $0.name.hasPrefix("drods_cluster_") }
        guard let cluster = ours.first(where: { $0.labels["cluster"] != nil })?.labels["cluster"] else {
            throw ParseError(line: 0, message: "no drods_cluster_* sample with a cluster label")
        }
        if let other = ours.first(where: { ($0.labels["cluster"] ?? cluster) != cluster }) {
            throw ParseError(line: 0, message: "samples name two clusters: \(cluster) and \(other.labels["cluster"] ?? "")")
        }

        var members: [String: JSONValue] = ["cluster": .string(cluster)]
        let newest = ours.compactMap(\.timestampMs).max()
        let time = newest.map { Date(timeIntervalSince1970: Double($0) / 1000) } ?? now
        members["timestamp"] = .string(ISO8601DateFormatter().string(from: time))
        var gpuModels: [String: [String: JSONValue]] = [:]
        var nodes: [String: JSONValue] = [:]
        for sample in ours {
            let kind = sample.labels["kind"]
            switch (sample.name, kind) {
            case ("drods_cluster_cpu_usage_percent", _): members["cpuUsage"] = .number(sample.value)
            case ("drods_cluster_memory_available_gib", _): members["memoryAvailable"] = .number(sample.value)
            case ("drods_cluster_network_bits_per_second", _): members["networkTrafficBps"] = .number(sample.value)
            case ("drods_cluster_cpu_millicores", "total"): members["cpuTotalMillis"] = .number(sample.value)
            case ("drods_cluster_cpu_millicores", "used"): members["cpuUsedMillis"] = .number(sample.value)
            case ("drods_cluster_memory_bytes", "total"): members["memoryTotalBytes"] = .number(sample.value)
            case ("drods_cluster_memory_bytes", "used"): members["memoryUsedBytes"] = .number(sample.value)
            case ("drods_cluster_pods", "total"): members["podsTotal"] = .number(sample.value)
            case ("drods_cluster_pods", "used"): members["podsUsed"] = .number(sample.value)
            case ("drods_cluster_gpus", .some(let which)) where which == "total" || which == "used":
                if let model = sample.labels["model"] {
                    gpuModels[model, default: [:]][which] = .number(sample.value)
                } else {
                    members[which == "total" ? "gpuTotal" : "gpuUsed"] = .number(sample.value)
                }
            case ("drods_cluster_nodes", _):
                if let state = sample.labels["state"] {
                    nodes[state == "not_ready" ? "notReady" : state] = .number(sample.value)
                }
            default:
                continue
            }
        }
        if !gpuModels.isEmpty { members["gpuByModel"] = .object(gpuModels.mapValues { .object($0) }) }
        if !nodes.isEmpty { members["nodes"] = .object(nodes) }
        return .object(members)
    }

    /// Parses `name{label="value",...} value [timestamp]`.
    static func sample(_ line: String, number: Int) throws -> Sample {
        var rest = Substring(line)
        let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" }
        guard !name.isEmpty else { throw ParseError(line: number, message: "expected a metric name") }
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while true {
                rest = rest.drop { $0 == " " || $0 == "," }
                if rest.first == "}" { rest = rest.dropFirst(); break }
                let key = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                rest = rest.dropFirst(key.count)
                guard !key.isEmpty, rest.first == "=", rest.dropFirst().first == "\"" else {
                    throw ParseError(line: number, message: "expected label=\"value\"")
                }
                rest = rest.dropFirst(2)
                var value = ""
                while let character = rest.first, character != "\"" {
                    if character == "\\", let next = rest.dropFirst().first {
                        value.append(next == "n" ? "\n" : next)
                        rest = rest.dropFirst(2)
                    } else {
                        value.append(character)
                        rest = rest.dropFirst()
                    }
                }
                guard rest.first == "\"" else { throw ParseError(line: number, message: "unterminated label value") }
                rest = rest.dropFirst()
                labels[String(key)] = value
            }
        }
        let fields = rest.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count == 1 || fields.count == 2, let value = Double(fields[0]), value.isFinite else {
            throw ParseError(line: number, message: "expected a finite value and an optional timestamp after \(name)")
        }
        var timestamp: Int64?
        if fields.count == 2 {
            guard let parsed = Int64(fields[1]) else {
                throw ParseError(line: number, message: "the timestamp must be milliseconds since the epoch")
            }
            timestamp = parsed
        }
        return Sample(name: String(name), labels: labels, value: value, timestampMs: timestamp)
    }
}
