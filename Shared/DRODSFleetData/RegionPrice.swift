/// AWS Fargate prices of one region, in US dollars (`aws-fargate-price-per-hour.csv`).
public struct RegionPrice: Equatable, Sendable {
    public var region: String
    public var description: String
    public var vcpuHour: Double
    /// Price of one GB of memory for one hour; Fargate bills memory in GB.
    public var gbHour: Double
    public var spotVCPUHour: Double
    public var spotGBHour: Double

    public init(region: String, description: String, vcpuHour: Double, gbHour: Double,
                spotVCPUHour: Double, spotGBHour: Double) {
        self.region = region
        self.description = description
        self.vcpuHour = vcpuHour
        self.gbHour = gbHour
        self.spotVCPUHour = spotVCPUHour
        self.spotGBHour = spotGBHour
    }

    /// Parses the price table, in file order.
    public static func parse(_ table: CSVTable, source: String) throws -> [RegionPrice] {
        let reader = try CSVColumns(table, source: source, names: [
            "region", "description", "vcpu_hour_usd", "gb_hour_usd", "spot_vcpu_hour_usd", "spot_gb_hour_usd",
        ])
        return try table.rows.enumerated().map { index, row in
            let line = index + 2
            return RegionPrice(region: row[reader["region"]], description: row[reader["description"]],
                               vcpuHour: try reader.double(row, "vcpu_hour_usd", line: line),
                               gbHour: try reader.double(row, "gb_hour_usd", line: line),
                               spotVCPUHour: try reader.double(row, "spot_vcpu_hour_usd", line: line),
                               spotGBHour: try reader.double(row, "spot_gb_hour_usd", line: line))
        }
    }
}
