import DRODSMonitor
import Foundation
import XCTest

final class HeartbeatPolicyTests: XCTestCase {
    func testSilenceBeyondTheTimeoutIsAChangeOnlyOnce() {
        let policy = HeartbeatPolicy(timeout: 30)
        let now = Date(timeIntervalSince1970: 1_000_000)
        let reports = ["fresh": now.addingTimeInterval(-5), "silent": now.addingTimeInterval(-31),
                       "edge": now.addingTimeInterval(-30)]
        let clusters = ["fresh", "silent", "edge", "never"]

        let first = policy.changes(clusters: clusters, lastReports: reports, known: [:], now: now)
        XCTAssertEqual(first, [HeartbeatPolicy.Change(cluster: "silent", health: .unknown, silentSeconds: 31)],
                       "exactly the timeout is still ready; a cluster that never reported is no change")
        XCTAssertEqual(policy.changes(clusters: clusters, lastReports: reports, known: ["silent": .unknown], now: now), [])

        var resumed = reports
        resumed["silent"] = now
        XCTAssertEqual(policy.changes(clusters: clusters, lastReports: resumed, known: ["silent": .unknown], now: now)
            .map(\.health), [.ready])
        XCTAssertEqual(policy.changes(clusters: ["fresh"], lastReports: reports, known: ["gone": .unknown], now: now), [],
                       "only registered clusters are judged")
    }
}
