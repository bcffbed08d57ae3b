import DRODSMemberSim
import Foundation
import XCTest

final class FleetParserTests: XCTestCase {
    /// The example fleet shipped next to the simulator.
    static var exampleFleetPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/MemberSim/example-fleet.yaml").path
    }

    func testExampleFleetParses() throws {
        let fleet = try FleetParser.load(path: Self.exampleFleetPath)
        XCTAssertEqual(fleet.clusters.map(\.name), ["use1-prod", "usw2-batch", "euw1-prod", "apne1-gpu"])
        XCTAssertEqual(Set(fleet.clusters.map(\.region)).count, 4)
        let gpuPool = try XCTUnwrap(fleet.cluster(named: "apne1-gpu")?.nodePools.last)
        XCTAssertEqual(gpuPool.gpuCount, 8)
        XCTAssertEqual(gpuPool.memoryBytes, 1152 * 1_073_741_824)
        XCTAssertEqual(fleet.latencyMs(from: "ap-northeast-1", to: "us-east-1"), 150)
        XCTAssertEqual(fleet.latencyMs(from: "us-east-1", to: "us-east-1"), 0)
    }

    func testMinimalClusterGetsDefaults() throws {
        let fleet = try FleetParser.parse(yaml: Self.fleetYAML())
        let cluster = try XCTUnwrap(fleet.clusters.first)
        XCTAssertEqual(cluster.utcOffsetHours, 0)
        XCTAssertEqual(cluster.pricePerHour, PricePerHour(vcpu: 0.04, memoryGB: 0.005))
        XCTAssertEqual(cluster.nodePools, [NodePoolSpec(instanceType: "m5.large", count: 2, cpu: 2,
                                                        memoryBytes: 8 * 1_073_741_824)])
        XCTAssertEqual(fleet.backgroundLoad, BackgroundLoadProfile())
    }

    func testInvalidFieldsAreNamed() {
        let cases: [(yaml: String, field: String)] = [
            (Self.fleetYAML(name: "Bad_Name"), "clusters[0].name"),
            (Self.fleetYAML(pool: "instanceType: m5.large\n        count: 0\n        cpu: 2\n        memory: 8Gi"),
             "clusters[0].nodePools[0].count"),
            (Self.fleetYAML(pool: "instanceType: m5.large\n        count: 1\n        cpu: 2\n        memory: lots"),
             "clusters[0].nodePools[0].memory"),
            (Self.fleetYAML(pool: "instanceType: m5.large\n        count: 1\n        cpu: 2\n        memory: 8Gi\n        gpuCount: 2"),
             "clusters[0].nodePools[0].gpuModel"),
            (Self.fleetYAML(pool: "instanceType: m5.large\n        count: 1\n        cpus: 2\n        memory: 8Gi"),
             "clusters[0].nodePools[0].cpus"),
            (Self.fleetYAML(price: "{vcpu: 0.04}"), "clusters[0].pricePerHour.memoryGB"),
            ("clusters: []\n", "clusters"),
            (Self.fleetYAML() + Self.secondCluster(region: "eu-west-1"), "latencyMs"),
            (Self.fleetYAML() + Self.secondCluster(name: "a", region: "us-east-1"), "clusters[1].name"),
        ]
        for (yaml, field) in cases {
            XCTAssertThrowsError(try FleetParser.parse(yaml: yaml), "expected an error at \(field)") { error in
                XCTAssertEqual((error as? FleetError)?.field, field, "\(error)")
            }
        }
    }

    func testLatencyMatrixCoversRegions() throws {
        let yaml = "latencyMs:\n  eu-west-1:\n    us-east-1: 80\n" + Self.fleetYAML()
            + Self.secondCluster(region: "eu-west-1")
        let fleet = try FleetParser.parse(yaml: yaml)
        XCTAssertEqual(fleet.latencyMs(from: "us-east-1", to: "eu-west-1"), 80)
    }

    func testQuantitiesParse() {
        XCTAssertEqual(Quantity.parse("500m"), 0.5)
        XCTAssertEqual(Quantity.parse("2"), 2)
        XCTAssertEqual(Quantity.parse("256Gi"), 256 * 1_073_741_824)
        XCTAssertEqual(Quantity.parse("1G"), 1e9)
        XCTAssertEqual(Quantity.parse("1e3"), 1000)
        XCTAssertNil(Quantity.parse("-1"))
        XCTAssertNil(Quantity.parse("Gi"))
        XCTAssertEqual(Quantity.formatBytes(32 * 1_073_741_824), "32Gi")
        XCTAssertEqual(Quantity.formatCPU(2.5), "2500m")
    }

    // MARK: - Fixtures

    static func fleetYAML(name: String = "a",
                          pool: String = "instanceType: m5.large\n        count: 2\n        cpu: 2\n        memory: 8Gi",
                          price: String = "{vcpu: 0.04, memoryGB: 0.005}") -> String {
        """
        clusters:
          - name: \(name)
            provider: aws
            region: us-east-1
            zone: us-east-1a
            pricePerHour: \(price)
            nodePools:
              - \(pool)

        """
    }

    static func secondCluster(name: String = "b", region: String) -> String {
        """
          - name: \(name)
            provider: aws
            region: \(region)
            zone: \(region)a
            pricePerHour: {vcpu: 0.05, memoryGB: 0.006}
            nodePools:
              - {instanceType: m5.large, count: 1, cpu: 2, memory: 8Gi}

        """
    }
}
