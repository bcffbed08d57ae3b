import DRODSDomain
import DRODSFleetData
import DRODSScheduling
import XCTest

final class FleetDataTests: XCTestCase {
    func testCSVQuotedFieldsAndCRLF() throws {
        let table = try CSVTable(parsing: "a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n\r\n1,\n", source: "t.csv")
        XCTAssertEqual(table.header, ["a", "b"])
        XCTAssertEqual(table.rows.count, 2)
        XCTAssertEqual(table.rows[0], ["x, y", "say \"hi\""])
        XCTAssertEqual(table.rows[1], ["1", ""])
    }

    func testCSVRowWidthMismatchThrows() {
        XCTAssertThrowsError(try CSVTable(parsing: "a,b\n1,2,3\n", source: "t.csv")) { error in
            XCTAssertEqual(error as? FleetDataError, .invalidCSV(source: "t.csv", line: 2, detail: "3 fields, the header has 2"))
        }
    }

    func testPodParsingAndGPUDemand() throws {
        let csv = """
            name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
            p0,6000,12288,1,460,,LS,Running,10,20,10
            p1,8000,1024,2,1000,,BE,Failed,0,5,0
            p2,1000,512,0,0,,BE,Pending,3,4,
            """
        let pods = try TracePod.parse(try CSVTable(parsing: csv, source: "pods"), source: "pods")
        XCTAssertEqual(pods.count, 3)
        XCTAssertEqual(pods[0].gpuMilliDemand, 460)
        XCTAssertTrue(pods[0].sharesGPU)
        XCTAssertEqual(pods[1].gpuMilliDemand, 2000)
        XCTAssertFalse(pods[1].sharesGPU)
        XCTAssertEqual(pods[2].gpuMilliDemand, 0)
        XCTAssertEqual(pods[2].phase, "Pending")
    }

    func testInvalidNumberNamesLineAndColumn() {
        let csv = "sn,cpu_milli,memory_mib,gpu,model\nn0,lots,1024,0,\n"
        XCTAssertThrowsError(try TraceNode.parse(try CSVTable(parsing: csv, source: "nodes"), source: "nodes")) { error in
            XCTAssertEqual(error as? FleetDataError,
                           .invalidValue(source: "nodes", line: 2, column: "cpu_milli", value: "lots"))
        }
    }

    func testBundledDataCounts() throws {
        let data = try FleetDataSet.bundled()
        XCTAssertEqual(data.nodes.count, 1523)
        XCTAssertEqual(data.pods.count, 8152)
        XCTAssertEqual(data.prices.count, 20)
        XCTAssertEqual(data.latency.regions.count, 32)
        XCTAssertEqual(data.latency.milliseconds["eu-west-1"]?["us-east-1"] != nil, true)
    }

    func testBuiltFleetCoversAllNodes() throws {
        let data = try FleetDataSet.bundled()
        let fleet = try FleetBuilder(domainCount: 8, seed: 1).build(data)
        XCTAssertEqual(fleet.domains.count, 8)
        XCTAssertEqual(fleet.domains.reduce(0) { $0 + $1.nodes.count }, 1523)
        XCTAssertEqual(Set(fleet.domains.flatMap { $0.nodes.map(\.name) }).count, 1523)
        XCTAssertEqual(Set(fleet.domains.map(\.region)).count, 8)
        let priced = Set(data.prices.map(\.region))
        for domain in fleet.domains {
            XCTAssertTrue(priced.contains(domain.region), domain.region)
            XCTAssertNotNil(fleet.regionLatencyMs[domain.region], domain.region)
            XCTAssertGreaterThan(domain.total.gpu, 0, domain.name)
            XCTAssertGreaterThan(domain.pricePerVCPUHour, 0, domain.name)
        }
    }

    func testFleetBuildIsDeterministic() throws {
        let data = try FleetDataSet.bundled()
        XCTAssertEqual(try FleetBuilder(seed: 7).build(data), try FleetBuilder(seed: 7).build(data))
    }

    func testTooManyDomainsThrows() throws {
        let data = try FleetDataSet.bundled()
        XCTAssertThrowsError(try FleetBuilder(domainCount: 21).build(data)) { error in
            XCTAssertEqual(error as? FleetDataError, .notEnoughRegions(needed: 21, available: 20))
        }
    }
}
