import DRODSScheduling
import XCTest

final class HoltWintersForecastTests: XCTestCase {
    /// Returns a daily shape of `period` samples: 0.3 at night, 0.7 at the afternoon peak.
    private func day(period: Int, offset: Double = 0) -> [Double] {
        (0..<period).map { index in
            0.5 + offset - 0.2 * cos(2 * Double.pi * Double(index) / Double(period))
        }
    }

    func testRepeatsSeasonalShape() {
        let period = 24
        let history = Array((0..<5).map { _ in day(period: period) }.joined())
        let forecast = HoltWintersForecast(period: period).forecast(history, steps: period)
        let expected = day(period: period)
        for (index, value) in forecast.enumerated() {
            XCTAssertEqual(value, expected[index], accuracy: 0.02, "sample \(index)")
        }
    }

    func testFollowsTrend() throws {
        let period = 12
        let history = Array((0..<6).map { dayIndex in day(period: period, offset: 0.02 * Double(dayIndex)) }.joined())
        let peak = try XCTUnwrap(HoltWintersForecast(period: period).nextPeriodPeak(history))
        XCTAssertGreaterThan(peak, 0.8)
        XCTAssertLessThan(peak, 0.9)
    }

    func testShortHistoryFallsBackToMean() {
        let forecast = HoltWintersForecast(period: 10).forecast([0.2, 0.4, 0.6], steps: 2)
        XCTAssertEqual(forecast.count, 2)
        XCTAssertEqual(forecast[0], 0.4, accuracy: 1e-12)
        XCTAssertEqual(HoltWintersForecast(period: 10).forecast([], steps: 3), [])
    }

    func testPeakIsClampedToUnitRange() {
        let rising = (0..<40).map { Double($0) * 0.05 }
        XCTAssertEqual(HoltWintersForecast(period: 4).nextPeriodPeak(rising), 1)
    }

    func testSchedulingAgainstForecastAvoidsPredictedPeak() {
        let period = 8
        let history = Array((0..<4).map { _ in [0.3, 0.3, 0.4, 0.6, 0.9, 0.9, 0.6, 0.4] }.joined())
        let fleet = FleetSnapshot(domains: [makeDomain("peaky", usedFraction: 0.3), makeDomain("steady", usedFraction: 0.5)])
        let forecasted = HoltWintersForecast(period: period).applying(to: fleet, histories: ["peaky": history])
        XCTAssertGreaterThan(forecasted.domain(named: "peaky")?.forecastWaterLevel ?? 0, 0.85)
        XCTAssertNil(forecasted.domain(named: "steady")?.forecastWaterLevel)

        let task = makeTask(replicas: 4)
        XCTAssertNotNil(Scheduler.decide(task, fleet: forecasted).assignments["peaky"])
        let cautious = Scheduler.decide(task, fleet: forecasted,
                                        configuration: SchedulerConfiguration(scheduleAgainstForecast: true,
                                                                              explainedRejections: 5))
        XCTAssertEqual(cautious.assignments, ["steady": 4])
        XCTAssertEqual(cautious.filterSummary.failures["peaky"]?.code, .waterLevelExceeded)
    }
}
