@testable import DRODSCLI
import XCTest

final class DemoFiguresTests: XCTestCase {
    private var seq: Int64 = 0

    private func event(_ time: Double, _ binding: String, _ type: String, _ phase: String,
                       _ placement: [String: Int] = [:], summary: String = "") -> ScheduleEvent {
        seq += 1
        return ScheduleEvent(seq: seq, time: time, bindingID: binding, event: type, phase: phase,
                             placement: placement, summary: summary)
    }

    func testOutcomesUseBestPhaseOfEachBinding() {
        let events = [
            event(1, "a", "BindingScheduled", "Scheduled", ["x": 1]),
            event(2, "b", "BindingUnschedulable", "Unschedulable", summary: "8 domains: insufficient gpu"),
            event(3, "b", "BindingScheduled", "Scheduled", ["y": 1]),
            event(4, "c", "BindingUnschedulable", "Unschedulable", summary: "8 domains: insufficient gpu"),
            event(5, "d", "BindingUnschedulable", "Unschedulable", summary: "8 domains: insufficient cpu"),
            event(6, "e", "BindingUnschedulable", "Unschedulable", summary: "8 domains: insufficient gpu"),
            event(7, "f", "BindingScheduled", "PartiallyScheduled", ["x": 1]),
            event(8, "other", "BindingScheduled", "Scheduled", ["x": 1]),
        ]
        let figures = DemoFigures.compute(submitted: 7, bindingIDs: ["a", "b", "c", "d", "e", "f", "g"],
                                          events: events, samples: [], prices: [:], fault: nil)
        XCTAssertEqual(figures.submitted, 7)
        XCTAssertEqual(figures.undecided, 1)
        XCTAssertEqual(figures.scheduled, 2)
        XCTAssertEqual(figures.partiallyScheduled, 1)
        XCTAssertEqual(figures.unschedulable, 3)
        XCTAssertEqual(figures.unschedulableReasons.map(\.reason),
                       ["8 domains: insufficient gpu", "8 domains: insufficient cpu"])
        XCTAssertEqual(figures.unschedulableReasons.map(\.count), [2, 1])
        XCTAssertNil(figures.failoverSeconds)
    }

    func testFailoverEndsWhenLastAffectedBindingLeaves() {
        let events = [
            event(1, "a", "BindingScheduled", "Scheduled", ["down": 1]),
            event(2, "b", "BindingScheduled", "Scheduled", ["down": 1]),
            event(3, "c", "BindingScheduled", "Scheduled", ["up": 1]),
            event(25, "a", "BindingRescheduled", "Scheduled", ["up": 1]),
            event(31, "b", "BindingRemoved", "Removed"),
            event(40, "c", "BindingRescheduled", "Scheduled", ["other": 1]),
        ]
        let fault = DemoFault(domain: "down", time: 10)
        let figures = DemoFigures.compute(submitted: 3, bindingIDs: ["a", "b", "c"], events: events, samples: [],
                                          prices: [:], fault: fault)
        XCTAssertEqual(figures.affectedByFailover, 2)
        XCTAssertEqual(figures.rescheduledByFailover, 1, "only the move off the failed cluster counts")
        XCTAssertEqual(figures.rescheduledTotal, 2)
        XCTAssertEqual(figures.failoverSeconds, 21)
    }

    func testFailoverUnfinishedWhileBindingStaysOnFailedDomain() {
        let events = [
            event(1, "a", "BindingScheduled", "Scheduled", ["down": 2]),
            event(20, "a", "BindingRescheduled", "Scheduled", ["down": 1, "up": 1]),
        ]
        let figures = DemoFigures.compute(submitted: 1, bindingIDs: ["a"], events: events, samples: [], prices: [:],
                                          fault: DemoFault(domain: "down", time: 10))
        XCTAssertEqual(figures.affectedByFailover, 1)
        XCTAssertNil(figures.failoverSeconds)
    }

    /// The failover's bindings add up: those on the failed cluster at the fault plus those
    /// placed there later equal those moved off, deleted, gone otherwise and still there.
    func testFailoverCountsReconcile() {
        let events = [
            event(1, "a", "BindingScheduled", "Scheduled", ["down": 2]),
            event(2, "b", "BindingScheduled", "Scheduled", ["down": 1]),
            event(3, "c", "BindingScheduled", "Scheduled", ["down": 1]),
            event(4, "d", "BindingScheduled", "Scheduled", ["down": 1]),
            event(5, "r", "BindingRescheduled", "Scheduled", ["up": 1]),
            // After the fault at 10: a moves in two steps, b is deleted, c stays, d leaves with a
            // new decision, and e is placed there before the scheduler learns of the fault.
            event(12, "e", "BindingScheduled", "Scheduled", ["down": 1]),
            event(20, "a", "BindingRescheduled", "Scheduled", ["down": 1, "up": 1]),
            event(22, "b", "BindingRemoved", "Removed"),
            event(24, "d", "BindingScheduled", "Scheduled", ["up": 1]),
            event(25, "a", "BindingRescheduled", "Scheduled", ["up": 2]),
            event(26, "e", "BindingRescheduled", "Scheduled", ["other": 1]),
        ]
        let figures = DemoFigures.compute(submitted: 6, bindingIDs: ["a", "b", "c", "d", "e", "r"], events: events,
                                          samples: [], prices: [:], fault: DemoFault(domain: "down", time: 10))
        let bindings = figures.failoverBindings
        XCTAssertEqual(figures.affectedByFailover, 4)
        XCTAssertEqual(bindings.placedAfterFault, 1)
        XCTAssertEqual(bindings.movedOff, 2, "a and e")
        XCTAssertEqual(bindings.removed, 1, "b")
        XCTAssertEqual(bindings.leftOtherwise, 1, "d")
        XCTAssertEqual(bindings.stillThere, 1, "c")
        XCTAssertEqual(figures.affectedByFailover + bindings.placedAfterFault,
                       bindings.movedOff + bindings.removed + bindings.leftOtherwise + bindings.stillThere)
        XCTAssertEqual(figures.rescheduledByFailover, 3, "a needed two events")
        XCTAssertEqual(figures.replicasMovedOff, 3)
        XCTAssertEqual(figures.rescheduledTotal, 4, "the move of r before the fault counts in the total only")
        XCTAssertNil(figures.failoverSeconds, "c still has a replica there")

        let report = DemoReport(pods: 6, tasks: 6, timeline: DemoTimeline(arrivalSpeedup: 5000), replaySeconds: 30,
                                totalSeconds: 60, figures: figures, samples: [], fault: DemoFault(domain: "down", time: 10),
                                chartPath: "/data/demo-water-levels.svg", reportPath: "/data/demo-report.json")
        let text = report.text()
        XCTAssertTrue(text.contains("4 had replicas on down at that moment, 1 more got replicas there"), text)
        XCTAssertTrue(text.contains("2 moved off by rescheduling, 1 deleted with their workload, "
                                    + "1 left with another decision, 1 still there at the end"), text)
        XCTAssertTrue(text.contains("3, by 3 BindingRescheduled events"), text)
        XCTAssertTrue(text.contains("4 events in the whole run: 3 took replicas off down, 1 moved replicas for other"),
                      text)
        XCTAssertTrue(text.contains("/data/demo-water-levels.svg"), text)
        XCTAssertTrue(text.contains("/data/demo-report.json"), text)
    }

    func testProgressCountsNeverDecrease() {
        let state = DemoState()
        let binding = DemoManifest.bindingID(name: "pod-1")
        state.add([event(1, binding, "BindingScheduled", "Scheduled", ["x": 1])])
        XCTAssertEqual(state.outcomes[.scheduled], 1)
        state.add([event(2, binding, "BindingRemoved", "Removed")])
        XCTAssertEqual(state.outcomes[.scheduled], 1, "a deleted workload stays counted as scheduled")
        XCTAssertNil(state.phases["Scheduled"], "the current phases drop it")

        let line = DemoProgress.line(fraction: 0.5, elapsed: 5, window: 10, created: 1, tasks: 2, deleted: 1,
                                     outcomes: state.outcomes, note: "")
        XCTAssertTrue(line.contains("tasks scheduled 1"), line)
    }

    func testCostCountsActiveDomainsOnly() {
        let gibibyte = Double(1 << 30)
        let samples = [
            DemoSample(time: 0, domains: [
                "x": .init(waterLevel: 0.5, cpuUsedMillis: 4000, memoryUsedBytes: 8 * gibibyte, active: true),
                "y": .init(waterLevel: 0.9, cpuUsedMillis: 1000, memoryUsedBytes: gibibyte, active: false),
            ], phases: [:]),
            DemoSample(time: 5, domains: [
                "x": .init(waterLevel: 0.7, cpuUsedMillis: 2000, memoryUsedBytes: 0, active: true),
            ], phases: [:]),
        ]
        let prices = ["x": DemoFigures.Price(vcpuHour: 0.04, gbHour: 0.005),
                      "y": DemoFigures.Price(vcpuHour: 1, gbHour: 1)]
        let figures = DemoFigures.compute(submitted: 0, bindingIDs: [], events: [], samples: samples, prices: prices,
                                          fault: nil)
        XCTAssertEqual(figures.costPerHour.map(\.time), [0, 5])
        XCTAssertEqual(figures.costPerHour[0].dollars, 4 * 0.04 + 8 * 0.005, accuracy: 1e-9)
        XCTAssertEqual(figures.costPerHour[1].dollars, 2 * 0.04, accuracy: 1e-9)
        XCTAssertEqual(figures.peakWaterLevel, ["x": 0.7, "y": 0.9])
    }

    func testReportEndsWithParsableJSONLine() throws {
        let figures = DemoFigures.compute(
            submitted: 1, bindingIDs: ["a"],
            events: [event(1, "a", "BindingUnschedulable", "Unschedulable", summary: "2 domains: \"gpu\"")],
            samples: [DemoSample(time: 0, domains: ["x": .init(waterLevel: 0.25, cpuUsedMillis: 0, memoryUsedBytes: 0,
                                                                active: true)], phases: [:])],
            prices: [:], fault: nil)
        let report = DemoReport(pods: 2, tasks: 1, timeline: DemoTimeline(arrivalSpeedup: 5000), replaySeconds: 10,
                                totalSeconds: 60, figures: figures, samples: [], fault: nil, chartPath: "/tmp/c.svg",
                                reportPath: "/tmp/r.json")
        let line = report.jsonLine()
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let demo = try XCTUnwrap(object["demo"] as? [String: Any])
        XCTAssertEqual(demo["unschedulable"] as? Int, 1)
        XCTAssertTrue(demo["failover_seconds"] is NSNull)
        XCTAssertFalse(line.contains("\n"))
        XCTAssertTrue(report.text().contains("/tmp/r.json"), "the report names the JSON file")
    }

    /// The table shows a few samples; its peak and mean cover all of them, as the JSON does.
    func testCostRowPeakAndMean() {
        var figures = DemoFigures.compute(submitted: 0, bindingIDs: [], events: [], samples: [], prices: [:], fault: nil)
        figures.costPerHour = (0..<20).map { (Double($0), $0 == 7 ? 300 : 100) }
        let samples = (0..<20).map { DemoSample(time: Double($0), domains: [:], phases: [:]) }
        let report = DemoReport(pods: 1, tasks: 1, timeline: DemoTimeline(arrivalSpeedup: 5000), replaySeconds: 20,
                                totalSeconds: 30, figures: figures, samples: samples, fault: nil,
                                chartPath: "/tmp/c.svg", reportPath: "/tmp/r.json")
        let row = report.text().split(separator: "\n").first { $0.hasPrefix("USD/h") }.map(String.init) ?? ""
        XCTAssertFalse(DemoReport.evenlySpaced(20, 8).contains(7), "the peak sample must not be a column")
        XCTAssertEqual(row.split(separator: " ").suffix(2), ["300.00", "110.00"], row)
        XCTAssertTrue(report.jsonLine().contains("\"cost_per_hour_max\":300.00"))
    }

    func testEvenlySpacedKeepsFirstAndLast() {
        XCTAssertEqual(DemoReport.evenlySpaced(3, 8), [0, 1, 2])
        XCTAssertEqual(DemoReport.evenlySpaced(29, 8).first, 0)
        XCTAssertEqual(DemoReport.evenlySpaced(29, 8).last, 28)
        XCTAssertEqual(DemoReport.evenlySpaced(29, 8).count, 8)
    }
}
