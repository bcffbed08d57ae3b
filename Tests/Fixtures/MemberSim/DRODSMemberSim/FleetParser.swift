import DRODSCore
import DRODSYAML
import Foundation

/// Reads and validates fleet files. Unknown keys are rejected so that a misspelled field fails
/// loudly instead of silently taking its default.
public enum FleetParser {
    /// Most nodes one pool may declare, which bounds the simulator's memory use.
    public static let maxNodesPerPool = 1000

    /// Reads the fleet file at `path`.
    public static func load(path: String) throws -> Fleet {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw FleetError(field: "", message: "cannot read \(path): \(error.localizedDescription)")
        }
        return try parse(yaml: text)
    }

    /// Parses and validates fleet YAML. Throws `FleetError` naming the first invalid field.
    public static func parse(yaml text: String) throws -> Fleet {
        let document: JSONValue
        do {
            document = try YAMLDecoder.parseSingle(text)
        } catch let error as YAMLError {
            throw FleetError(field: "", message: error.description)
        }
        let root = try object(document, field: "")
        try rejectUnknownKeys(root, allowed: ["clusters", "latencyMs", "backgroundLoad"], field: "")

        guard let clusterList = root["clusters"] else {
            throw FleetError(field: "clusters", message: "is missing; list at least one cluster")
        }
        guard case .array(let items) = clusterList, !items.isEmpty else {
            throw FleetError(field: "clusters", message: "must be a non-empty list of clusters")
        }
        var clusters: [ClusterSpec] = []
        for (index, item) in items.enumerated() {
            let cluster = try parseCluster(item, field: "clusters[\(index)]")
            if clusters.contains(where: { $0.name == cluster.name }) {
                throw FleetError(field: "clusters[\(index)].name",
                                 message: "\"\(cluster.name)\" is used by an earlier cluster; names must be unique")
            }
            clusters.append(cluster)
        }

        let latency = try parseLatency(root["latencyMs"], regions: clusters.map(\.region))
        let background = try parseBackgroundLoad(root["backgroundLoad"])
        return Fleet(clusters: clusters, latencyMs: latency, backgroundLoad: background)
    }

    // MARK: - Clusters

    private static func parseCluster(_ value: JSONValue, field: String) throws -> ClusterSpec {
        let members = try object(value, field: field)
        try rejectUnknownKeys(members, allowed: ["name", "provider", "region", "zone", "nodePools",
                                                 "pricePerHour", "utcOffsetHours"], field: field)
        let name = try string(members, "name", field: field)
        guard DNSName.isLabel(name) else {
            throw FleetError(field: "\(field).name",
                             message: "\"\(name)\" is not a DNS-1123 label (lower-case letters, digits and '-', "
                                 + "starting and ending with a letter or digit, at most 63 characters)")
        }
        let provider = try string(members, "provider", field: field)
        let region = try string(members, "region", field: field)
        let zone = try string(members, "zone", field: field)

        guard case .array(let poolItems)? = members["nodePools"], !poolItems.isEmpty else {
            throw FleetError(field: "\(field).nodePools", message: "must be a non-empty list of node pools")
        }
        let pools = try poolItems.enumerated().map { index, item in
            try parseNodePool(item, field: "\(field).nodePools[\(index)]")
        }

        let priceField = "\(field).pricePerHour"
        guard let priceValue = members["pricePerHour"] else {
            throw FleetError(field: priceField, message: "is missing; give vcpu and memoryGB prices in USD per hour")
        }
        let price = try object(priceValue, field: priceField)
        try rejectUnknownKeys(price, allowed: ["vcpu", "memoryGB"], field: priceField)
        let vcpuPrice = try number(price, "vcpu", field: priceField, minimum: 0)
        let memoryPrice = try number(price, "memoryGB", field: priceField, minimum: 0)

        var offset = 0.0
        if members["utcOffsetHours"] != nil {
            offset = try number(members, "utcOffsetHours", field: field, minimum: -12)
            guard offset <= 14 else {
                throw FleetError(field: "\(field).utcOffsetHours", message: "\(offset) is outside -12...14")
            }
        }
        return ClusterSpec(name: name, provider: provider, region: region, zone: zone, nodePools: pools,
                           pricePerHour: PricePerHour(vcpu: vcpuPrice, memoryGB: memoryPrice),
                           utcOffsetHours: offset)
    }

    private static func parseNodePool(_ value: JSONValue, field: String) throws -> NodePoolSpec {
        let members = try object(value, field: field)
        try rejectUnknownKeys(members, allowed: ["instanceType", "count", "cpu", "memory", "gpuModel", "gpuCount"],
                              field: field)
        let instanceType = try string(members, "instanceType", field: field)
        let count = try integer(members, "count", field: field, range: 1...maxNodesPerPool)
        let cpu = try number(members, "cpu", field: field, minimum: 0)
        guard cpu > 0 else {
            throw FleetError(field: "\(field).cpu", message: "must be more than 0 cores")
        }

        let memoryText: String
        switch members["memory"] {
        case .string(let text): memoryText = text
        case .number(let bytes): memoryText = String(bytes)
        case nil: throw FleetError(field: "\(field).memory", message: "is missing; give a quantity such as 64Gi")
        default: throw FleetError(field: "\(field).memory", message: "must be a quantity such as 64Gi")
        }
        guard let memory = Quantity.parse(memoryText), memory > 0 else {
            throw FleetError(field: "\(field).memory",
                             message: "\"\(memoryText)\" is not a positive quantity such as 64Gi or 512Mi")
        }

        var gpuModel: String?
        if members["gpuModel"] != nil {
            gpuModel = try string(members, "gpuModel", field: field)
        }
        var gpuCount = 0
        if members["gpuCount"] != nil {
            gpuCount = try integer(members, "gpuCount", field: field, range: 0...64)
        }
        if gpuCount > 0 && gpuModel == nil {
            throw FleetError(field: "\(field).gpuModel", message: "is missing although gpuCount is \(gpuCount)")
        }
        if gpuModel != nil && gpuCount == 0 {
            throw FleetError(field: "\(field).gpuCount", message: "must be at least 1 when gpuModel is set")
        }
        return NodePoolSpec(instanceType: instanceType, count: count, cpu: cpu, memoryBytes: memory,
                            gpuModel: gpuModel, gpuCount: gpuCount)
    }

    // MARK: - Latency and load

    /// Reads the region matrix and checks that every pair of regions in use has an entry.
    private static func parseLatency(_ value: JSONValue?, regions: [String]) throws -> [String: [String: Double]] {
        var matrix: [String: [String: Double]] = [:]
        if let value {
            let rows = try object(value, field: "latencyMs")
            for (source, row) in rows {
                let columns = try object(row, field: "latencyMs.\(source)")
                for (destination, entry) in columns {
                    guard case .number(let milliseconds) = entry, milliseconds >= 0 else {
                        throw FleetError(field: "latencyMs.\(source).\(destination)",
                                         message: "must be a non-negative number of milliseconds")
                    }
                    matrix[source, default: [:]][destination] = milliseconds
                }
            }
        }
        let fleet = Fleet(clusters: [], latencyMs: matrix)
        let distinct = Array(Set(regions)).sorted()
        for (index, source) in distinct.enumerated() {
            for destination in distinct[(index + 1)...] where fleet.latencyMs(from: source, to: destination) == nil {
                throw FleetError(field: "latencyMs",
                                 message: "has no entry between regions \(source) and \(destination); "
                                     + "add latencyMs.\(source).\(destination)")
            }
        }
        return matrix
    }

    private static func parseBackgroundLoad(_ value: JSONValue?) throws -> BackgroundLoadProfile {
        var profile = BackgroundLoadProfile()
        guard let value else { return profile }
        let field = "backgroundLoad"
        let members = try object(value, field: field)
        try rejectUnknownKeys(members, allowed: ["trough", "peak", "peakHour", "noise"], field: field)
        if members["trough"] != nil { profile.trough = try number(members, "trough", field: field, minimum: 0) }
        if members["peak"] != nil { profile.peak = try number(members, "peak", field: field, minimum: 0) }
        if members["peakHour"] != nil { profile.peakHour = try number(members, "peakHour", field: field, minimum: 0) }
        if members["noise"] != nil { profile.noise = try number(members, "noise", field: field, minimum: 0) }
        guard profile.peak <= 1, profile.trough <= profile.peak else {
            throw FleetError(field: field, message: "needs 0 <= trough <= peak <= 1, got trough \(profile.trough) "
                                 + "and peak \(profile.peak)")
        }
        guard profile.peakHour < 24 else {
            throw FleetError(field: "\(field).peakHour", message: "\(profile.peakHour) is outside 0..<24")
        }
        guard profile.noise <= 0.5 else {
            throw FleetError(field: "\(field).noise", message: "\(profile.noise) is above 0.5")
        }
        return profile
    }

    // MARK: - Field readers

    private static func object(_ value: JSONValue, field: String) throws -> [String: JSONValue] {
        guard case .object(let members) = value else {
            throw FleetError(field: field, message: "must be a mapping")
        }
        return members
    }

    private static func rejectUnknownKeys(_ members: [String: JSONValue], allowed: Set<String>,
                                          field: String) throws {
        if let unknown = members.keys.sorted().first(where: { !allowed.contains($0) }) {
            let path = field.isEmpty ? unknown : "\(field).\(unknown)"
            throw FleetError(field: path,
                             message: "is not a known field; expected one of \(allowed.sorted().joined(separator: ", "))")
        }
    }

    private static func string(_ members: [String: JSONValue], _ key: String, field: String) throws -> String {
        guard let value = members[key] else {
            throw FleetError(field: "\(field).\(key)", message: "is missing")
        }
        guard case .string(let text) = value, !text.isEmpty else {
            throw FleetError(field: "\(field).\(key)", message: "must be a non-empty string")
        }
        return text
    }

    private static func number(_ members: [String: JSONValue], _ key: String, field: String,
                               minimum: Double) throws -> Double {
        guard let value = members[key] else {
            throw FleetError(field: "\(field).\(key)", message: "is missing")
        }
        guard case .number(let number) = value else {
            throw FleetError(field: "\(field).\(key)", message: "must be a number")
        }
        guard number >= minimum else {
            throw FleetError(field: "\(field).\(key)", message: "\(number) is below \(minimum)")
        }
        return number
    }

    private static func integer(_ members: [String: JSONValue], _ key: String, field: String,
                                range: ClosedRange<Int>) throws -> Int {
        let value = try number(members, key, field: field, minimum: Double(range.lowerBound))
        guard value.rounded() == value, value <= Double(range.upperBound) else {
            throw FleetError(field: "\(field).\(key)",
                             message: "\(value) is not a whole number in \(range.lowerBound)...\(range.upperBound)")
        }
        return Int(value)
    }
}
