import Foundation

/// The four input tables of a realistic fleet: the trace's nodes and pods, the price table and
/// the latency matrix. The files bundled with this module are the default; a directory with
/// the same layout replaces them.
public struct FleetDataSet: Sendable {
    public static let nodesPath = "alibaba-gpu-v2023/openb_node_list_all_node.csv"
    public static let podsPath = "alibaba-gpu-v2023/openb_pod_list_default.csv"
    public static let pricesPath = "cloud/aws-fargate-price-per-hour.csv"
    public static let latencyPath = "cloud/aws-inter-region-latency-p50-ms.csv"

    public var nodes: [TraceNode]
    public var pods: [TracePod]
    public var prices: [RegionPrice]
    public var latency: LatencyMatrix

    public init(nodes: [TraceNode], pods: [TracePod], prices: [RegionPrice], latency: LatencyMatrix) {
        self.nodes = nodes
        self.pods = pods
        self.prices = prices
        self.latency = latency
    }

    /// Parses the four tables from CSV text.
    public init(nodesCSV: String, podsCSV: String, pricesCSV: String, latencyCSV: String) throws {
        nodes = try TraceNode.parse(try CSVTable(parsing: nodesCSV, source: Self.nodesPath), source: Self.nodesPath)
        pods = try TracePod.parse(try CSVTable(parsing: podsCSV, source: Self.podsPath), source: Self.podsPath)
        prices = try RegionPrice.parse(try CSVTable(parsing: pricesCSV, source: Self.pricesPath),
                                       source: Self.pricesPath)
        latency = try LatencyMatrix.parse(try CSVTable(parsing: latencyCSV, source: Self.latencyPath),
                                          source: Self.latencyPath)
    }

    /// Reads the tables from `directory`, which holds `alibaba-gpu-v2023/` and `cloud/` as this
    /// module bundles them.
    public init(directory: URL) throws {
        func read(_ path: String) throws -> String {
            let url = directory.appendingPathComponent(path)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw FleetDataError.fileNotFound(path: url.path)
            }
            return String(decoding: data, as: UTF8.self)
        }
        try self.init(nodesCSV: try read(Self.nodesPath), podsCSV: try read(Self.podsPath),
                      pricesCSV: try read(Self.pricesPath), latencyCSV: try read(Self.latencyPath))
    }

    /// Reads the copies bundled with this module.
    public static func bundled() throws -> FleetDataSet {
        try FleetDataSet(directory: Bundle.module.resourceURL ?? Bundle.module.bundleURL)
    }
}
