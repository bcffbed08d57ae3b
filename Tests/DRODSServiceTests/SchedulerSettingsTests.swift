import DRODSCore
@testable import DRODSScheduler
import DRODSScheduling
import Foundation
import XCTest

final class SchedulerSettingsTests: XCTestCase {
    func testBaseWeightsAndThresholdsComeFromTheEnvironment() throws {
        let settings = try SchedulerSettings.fromEnvironment(Environment([
            "DRODS_SCHEDULER_WEIGHT_AVAILABILITY": "2", "DRODS_SCHEDULER_WEIGHT_BALANCE": "1",
            "DRODS_SCHEDULER_WEIGHT_NETWORK": "0", "DRODS_SCHEDULER_WEIGHT_DATA_LOCALITY": "0",
            "DRODS_SCHEDULER_WEIGHT_COST": "1", "DRODS_SCHEDULER_WEIGHT_PREFERENCE": "0",
            "DRODS_SCHEDULER_PIVOT_LOAD": "0.6", "DRODS_SCHEDULER_REPORT_DEADLINE_S": "15",
            "DRODS_SCHEDULER_FORECAST": "true", "DRODS_SCHEDULER_BALANCE_TOLERANCE": "0.05",
        ]))
        let base = settings.core.weightAdaptation.base
        XCTAssertEqual(base[.availability], 0.5, accuracy: 1e-9, "weights are normalised")
        XCTAssertEqual(base[.balance], 0.25, accuracy: 1e-9)
        XCTAssertEqual(base[.network], 0)
        XCTAssertEqual(settings.core.weightAdaptation.pivotLoad, 0.6)
        XCTAssertEqual(settings.reportDeadline, 15)
        XCTAssertTrue(settings.core.scheduleAgainstForecast)
        XCTAssertEqual(settings.core.balanceTolerance, 0.05)

        let defaults = try SchedulerSettings.fromEnvironment(Environment([:]))
        XCTAssertEqual(defaults.core.weightAdaptation, WeightAdaptation())
        XCTAssertEqual(defaults.reportDeadline, 60)
    }

    func testInvalidSettingNamesItsVariable() {
        XCTAssertThrowsError(try SchedulerSettings.fromEnvironment(Environment(["DRODS_SCHEDULER_PIVOT_LOAD": "2"]))) {
            XCTAssertTrue(String(describing: $0).contains("DRODS_SCHEDULER_PIVOT_LOAD"), "\($0)")
        }
        XCTAssertThrowsError(try SchedulerSettings.fromEnvironment(Environment(["DRODS_SCHEDULER_WEIGHT_COST": "cheap"])))
    }

    func testLoadHistoryAveragesBucketsAndFillsGaps() {
        var history = LoadHistory()
        let start = Date(timeIntervalSince1970: 1_800_000_000)  // on a 300 s boundary
        history.record(0.2, at: start)
        history.record(0.4, at: start.addingTimeInterval(100))
        history.record(0.9, at: start.addingTimeInterval(3 * 300 + 10))  // two empty buckets between
        history.record(0.1, at: start.addingTimeInterval(50))  // older than the open bucket: ignored

        let series = history.series
        XCTAssertEqual(series.count, 4)
        XCTAssertEqual(series[0], 0.3, accuracy: 1e-9)
        XCTAssertEqual(series[1], 0.3, accuracy: 1e-9, "a gap repeats the last mean")
        XCTAssertEqual(series[2], 0.3, accuracy: 1e-9)
        XCTAssertEqual(series[3], 0.9, accuracy: 1e-9)

        var long = LoadHistory()
        for step in 0..<(LoadHistory.capacity + 50) {
            long.record(Double(step % 10) / 10, at: start.addingTimeInterval(Double(step) * 300))
        }
        XCTAssertLessThanOrEqual(long.series.count, LoadHistory.capacity + 1)
    }
}
