import DRODSCore
import DRODSFleetData
import DRODSYAML
import Foundation

/// Writes the member-cluster simulator's fleet file for the fleet built from the real data in
/// `DRODSFleetData`: the 1,523 nodes of the Alibaba GPU trace split into member clusters, each
/// in an AWS region with that region's prices, and the measured latencies between regions.
enum MemberFleetFile {
    /// Returns the fleet file's YAML for `domains` member clusters.
    static func realData(domains: Int = 8, seed: UInt64 = 1) throws -> String {
        let fleet = try FleetBuilder(domainCount: domains, seed: seed).build(try FleetDataSet.bundled())
        var clusters: [JSONValue] = []
        for domain in fleet.domains {
            clusters.append(.object([
                "name": .string(domain.name),
                "provider": .string("aws"),
                "region": .string(domain.region),
                "zone": .string(domain.region + "a"),
                "utcOffsetHours": .number(utcOffset(of: domain.region)),
                "pricePerHour": .object(["vcpu": .number(domain.pricePerVCPUHour),
                                         "memoryGB": .number(domain.pricePerGBHour)]),
                "nodePools": .array(pools(of: domain)),
            ]))
        }
        var latency: [String: JSONValue] = [:]
        let regions = fleet.domains.map(\.region).sorted()
        for (index, from) in regions.enumerated() {
            var row: [String: JSONValue] = [:]
            for to in regions[(index + 1)...] where to != from {
                if let value = fleet.regionLatencyMs[from]?[to] ?? fleet.regionLatencyMs[to]?[from] {
                    row[to] = .number(value)
                }
            }
            if !row.isEmpty { latency[from] = .object(row) }
        }
        let document = JSONValue.object(["clusters": .array(clusters), "latencyMs": .object(latency)])
        return "# Built by drods up from the Alibaba GPU trace's node list (cluster-trace-gpu-v2023)\n"
            + "# and AWS prices and inter-region latencies; see Shared/DRODSFleetData/README.md.\n"
            + YAMLEncoder.encode(document)
    }

    /// Nodes of one shape become one pool, named after the shape.
    private static func pools(of domain: FleetDomain) -> [JSONValue] {
        var counts: [String: (node: TraceNode, count: Int)] = [:]
        for node in domain.nodes {
            let key = "\(node.cpuMillis)-\(node.memoryMiB)-\(node.gpus)-\(node.gpuModel)"
            counts[key] = (node, (counts[key]?.count ?? 0) + 1)
        }
        return counts.keys.sorted().map { key in
            let (node, count) = counts[key]!
            var pool: [String: JSONValue] = [
                "instanceType": .string(instanceType(node)), "count": .number(Double(count)),
                "cpu": .number(Double(node.cpuMillis) / 1000), "memory": .string("\(node.memoryMiB)Mi"),
            ]
            if node.gpus > 0 {
                pool["gpuModel"] = .string(node.gpuModel.isEmpty ? "unknown" : node.gpuModel)
                pool["gpuCount"] = .number(Double(node.gpus))
            }
            return .object(pool)
        }
    }

    private static func instanceType(_ node: TraceNode) -> String {
        let base = "openb.\(node.cpuMillis / 1000)c.\(node.memoryMiB / 1024)g"
        return node.gpus > 0 ? base + ".\(node.gpus)x\(node.gpuModel.isEmpty ? "gpu" : node.gpuModel.lowercased())" : base
    }

    /// Standard time of the region's location, in whole hours, for the daily load curve.
    static func utcOffset(of region: String) -> Double {
        let offsets: [(prefix: String, hours: Double)] = [
            ("us-east", -5), ("us-west", -8), ("ca-west", -7), ("ca-", -5), ("mx-", -6), ("sa-", -3),
            ("eu-west-1", 0), ("eu-west-2", 0), ("eu-", 1), ("il-", 2), ("af-", 2), ("me-", 4),
            ("ap-south", 5), ("ap-southeast-3", 7), ("ap-southeast-7", 7), ("ap-southeast-2", 10),
            ("ap-southeast-4", 10), ("ap-southeast", 8), ("ap-east", 8), ("ap-northeast", 9),
        ]
        return offsets.first { region.hasPrefix($0.prefix) }?.hours ?? 0
    }
}
