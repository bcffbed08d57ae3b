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
        let known: [String: HeartbeatPolicy.Health] = ["fresh": .ready, "silent": .ready, "edge": .ready]

        let first = policy.changes(clusters: clusters, lastReports: reports, known: known, now: now)
        XCTAssertEqual(first, [HeartbeatPolicy.Change(cluster: "silent", health: .unknown, silentSeconds: 31,
                                                      previous: .ready)],
                       "exactly the timeout is still ready; a cluster that never reported is no change")
        var silent = known
        silent["silent"] = .unknown
        XCTAssertEqual(policy.changes(clusters: clusters, lastReports: reports, known: silent, now: now), [])

        var resumed = reports
        resumed["silent"] = now
        let recovery = policy.changes(clusters: clusters, lastReports: resumed, known: silent, now: now)
        XCTAssertEqual(recovery.map(\.health), [.ready])
        XCTAssertEqual(recovery.map(\.isRecovery), [true])
        XCTAssertEqual(policy.changes(clusters: ["fresh"], lastReports: reports, known: ["gone": .unknown, "fresh": .ready],
                                      now: now), [],
                       "only registered clusters are judged")
    }

    func testFirstReportIsReadyWithoutRecovery() {
        let policy = HeartbeatPolicy(timeout: 30)
        let now = Date(timeIntervalSince1970: 1_000_000)
        let reports = ["new": now.addingTimeInterval(-2), "stale": now.addingTimeInterval(-100)]

        let changes = policy.changes(clusters: ["new", "stale", "never"], lastReports: reports, known: [:], now: now)
        XCTAssertEqual(changes.map(\.cluster), ["new", "stale"], "a cluster that never reported stays as registered")
        XCTAssertEqual(changes.map(\.health), [.ready, .unknown])
        XCTAssertEqual(changes.map(\.previous), [nil, nil])
        XCTAssertEqual(changes.map(\.isRecovery), [false, false], "a first report resolves no failure")

        XCTAssertEqual(policy.changes(clusters: ["new"], lastReports: reports, known: ["new": .ready], now: now), [],
                       "a recorded first report is not recorded again")
    }
}
