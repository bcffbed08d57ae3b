import DRODSCore
import DRODSDomain
import Foundation
import XCTest

final class PrometheusReportTests: XCTestCase {
    private let exposition = """
        # HELP drods_cluster_cpu_usage_percent CPU in use.
        # TYPE drods_cluster_cpu_usage_percent gauge
        drods_cluster_cpu_usage_percent{cluster="edge-1"} 42.5 1800000000000
        drods_cluster_memory_available_gib{cluster="edge-1"} 120
        drods_cluster_cpu_millicores{cluster="edge-1",kind="total"} 64000
        drods_cluster_cpu_millicores{cluster="edge-1",kind="used"} 27200
        drods_cluster_memory_bytes{cluster="edge-1",kind="total"} 274877906944
        drods_cluster_memory_bytes{cluster="edge-1",kind="used"} 146028888064
        drods_cluster_gpus{cluster="edge-1",kind="total"} 8
        drods_cluster_gpus{cluster="edge-1",kind="used"} 3
        drods_cluster_gpus{cluster="edge-1",kind="total",model="nvidia-a100"} 8
        drods_cluster_gpus{cluster="edge-1",kind="used",model="nvidia-a100"} 3
        drods_cluster_nodes{cluster="edge-1",state="ready"} 4
        drods_cluster_nodes{cluster="edge-1",state="not_ready"} 1
        node_cpu_seconds_total{cpu="0",mode="idle"} 12345.6
        """

    func testExpositionBecomesAValidReport() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_010)
        let report = try MetricsReport.validate(try PrometheusReport.report(from: exposition, now: now), now: now)
        XCTAssertEqual(report.cluster, "edge-1")
        XCTAssertEqual(report.timestamp, Date(timeIntervalSince1970: 1_800_000_000), "the sample timestamp wins")
        XCTAssertEqual(report.cpuUsage, 42.5)
        XCTAssertEqual(report.memoryAvailable, 120)
        XCTAssertEqual(report.cpuUsedMillis, 27_200)
        XCTAssertEqual(report.memoryTotalBytes, 256 << 30)
        XCTAssertEqual(report.gpuUsed, 3)
        XCTAssertEqual(report.gpuByModel["nvidia-a100"], ResourceUsage(total: 8, used: 3))
        XCTAssertEqual(report.nodes, NodeCounts(ready: 4, notReady: 1))
    }

    func testBadTextNamesTheLine() {
        XCTAssertThrowsError(try PrometheusReport.report(from: "drods_cluster_pods{cluster=\"a\",kind=\"total\"} many", now: Date())) {
            XCTAssertEqual(($0 as? PrometheusReport.ParseError)?.line, 1)
        }
        XCTAssertThrowsError(try PrometheusReport.report(from: "node_load1 0.5\n", now: Date()), "no cluster label")
        let twoClusters = """
            drods_cluster_cpu_usage_percent{cluster="a"} 1
            drods_cluster_memory_available_gib{cluster="b"} 1
            """
        XCTAssertThrowsError(try PrometheusReport.report(from: twoClusters, now: Date()))
        // A report without the draft's required fields fails validation with the field named.
        let partial = try? PrometheusReport.report(from: "drods_cluster_cpu_usage_percent{cluster=\"a\"} 10", now: Date())
        XCTAssertThrowsError(try MetricsReport.validate(partial ?? .null)) { error in
            XCTAssertTrue(String(describing: error).contains("memoryAvailable"), "\(error)")
        }
    }
}
