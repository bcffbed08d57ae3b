import Foundation

/// The text report and the closing JSON line of a demo run.
struct DemoReport: Sendable {
    var pods: Int
    var tasks: Int
    var timeline: DemoTimeline
    var replaySeconds: Double
    var totalSeconds: Double
    var figures: DemoFigures
    var samples: [DemoSample]
    var fault: DemoFault?
    var chartPath: String
    /// Path of the file that contains `jsonLine()`.
    var reportPath: String

    /// Columns of the over-time tables.
    static let columns = 8

    func text() -> String {
        var lines: [String] = []
        lines.append("DRO-DS demo: \(tasks) tasks from the first \(pods) pods of the Alibaba GPU trace, replayed in "
                     + "\(Int(replaySeconds.rounded())) s (arrivals \(Self.decimal(timeline.arrivalSpeedup, 0))x, "
                     + "lifetimes \(Self.decimal(timeline.lifetimeSpeedup, 1))x faster than in the trace)")
        lines.append(Self.row("tasks submitted", String(figures.submitted)))
        lines.append("tasks by the best decision each got, whether or not its workload was deleted later:")
        lines.append(Self.row("scheduled", String(figures.scheduled)))
        lines.append(Self.row("partially scheduled", String(figures.partiallyScheduled)))
        lines.append(Self.row("unschedulable", String(figures.unschedulable)))
        for reason in figures.unschedulableReasons.prefix(3) {
            lines.append("  \(reason.count) x \(reason.reason)")
        }
        lines.append(Self.row("no decision (deleted or pending)", String(figures.undecided)))
        lines.append("")
        lines += failoverLines()

        let picks = Self.evenlySpaced(samples.count, Self.columns)
        lines.append("")
        lines.append("cost of the CPU and memory that running pods request, US dollars per hour:")
        lines.append(Self.row("seconds", picks.map { Self.cell(Self.decimal(samples[$0].time, 0)) }.joined()
                              + Self.cell("peak") + Self.cell("mean")))
        // Peak and mean over every sample, as in the JSON; the columns show only some samples.
        let costs = figures.costPerHour
        lines.append(Self.row("USD/h", picks.map { Self.cell(Self.decimal(costs[$0].dollars, 2)) }.joined()
                              + Self.cell(Self.decimal(costPeak, 2)) + Self.cell(Self.decimal(costMean, 2))))
        lines.append("")
        lines.append("water level per domain (chart: \(chartPath)):")
        lines.append(Self.row("seconds", picks.map { Self.cell(Self.decimal(samples[$0].time, 0)) }.joined()
                              + Self.cell("peak")))
        for name in domainNames {
            let cells = picks.map { index -> String in
                guard let domain = samples[index].domains[name] else { return Self.cell("-") }
                return Self.cell(domain.active ? Self.decimal(domain.waterLevel, 2) : "down")
            }
            lines.append(Self.row(name, cells.joined() + Self.cell(Self.decimal(figures.peakWaterLevel[name] ?? 0, 2))))
        }
        lines.append("")
        lines.append(Self.row("chart", chartPath))
        lines.append(Self.row("figures as JSON", "\(reportPath) (the same as the last line below)"))
        return lines.joined(separator: "\n") + "\n"
    }

    /// Highest and mean cost per hour over every sample, in US dollars.
    private var costPeak: Double { figures.costPerHour.map(\.dollars).max() ?? 0 }
    private var costMean: Double {
        let dollars = figures.costPerHour.map(\.dollars)
        return dollars.isEmpty ? 0 : dollars.reduce(0, +) / Double(dollars.count)
    }

    /// Returns one line of JSON with the figures, keys in a fixed order.
    func jsonLine() -> String {
        let peaks = domainNames.map { "\"\($0)\":\(Self.decimal(figures.peakWaterLevel[$0] ?? 0, 4))" }
        let reasons = figures.unschedulableReasons.prefix(3).map {
            "{\"reason\":\(Self.quoted($0.reason)),\"count\":\($0.count)}"
        }
        var fields = [
            "\"pods\":\(pods)", "\"tasks\":\(tasks)", "\"submitted\":\(figures.submitted)",
            "\"scheduled\":\(figures.scheduled)", "\"partially_scheduled\":\(figures.partiallyScheduled)",
            "\"unschedulable\":\(figures.unschedulable)", "\"unschedulable_reasons\":[\(reasons.joined(separator: ","))]",
            "\"undecided\":\(figures.undecided)",
            "\"rescheduled_by_failover\":\(figures.rescheduledByFailover)",
            "\"rescheduled_total\":\(figures.rescheduledTotal)",
            "\"affected_by_failover\":\(figures.affectedByFailover)",
            "\"placed_on_failed_after_fault\":\(figures.failoverBindings.placedAfterFault)",
            "\"moved_off_failed\":\(figures.failoverBindings.movedOff)",
            "\"removed_on_failed\":\(figures.failoverBindings.removed)",
            "\"left_failed_otherwise\":\(figures.failoverBindings.leftOtherwise)",
            "\"still_on_failed\":\(figures.failoverBindings.stillThere)",
            "\"replicas_moved_off_failed\":\(figures.replicasMovedOff)",
        ]
        fields.append("\"fault_domain\":" + (fault.map { Self.quoted($0.domain) } ?? "null"))
        fields.append("\"failover_seconds\":" + (figures.failoverSeconds.map { Self.decimal($0, 1) } ?? "null"))
        fields.append("\"cost_per_hour_mean\":\(Self.decimal(costMean, 2))")
        fields.append("\"cost_per_hour_max\":\(Self.decimal(costPeak, 2))")
        fields.append("\"peak_water_level\":{\(peaks.joined(separator: ","))}")
        fields.append("\"replay_seconds\":\(Self.decimal(replaySeconds, 1))")
        fields.append("\"total_seconds\":\(Self.decimal(totalSeconds, 1))")
        return "{\"demo\":{\(fields.joined(separator: ","))}}"
    }

    var domainNames: [String] {
        Set(samples.flatMap(\.domains.keys)).sorted()
    }

    /// Returns the failover's figures, each with what it counts. The bindings on the failed
    /// cluster add up: those there at the fault plus those placed there later equal those moved
    /// off, deleted, gone otherwise and still there.
    private func failoverLines() -> [String] {
        let total = figures.rescheduledTotal
        guard let fault else {
            return [Self.row("failover", "none (--no-failover)"),
                    Self.row("BindingRescheduled", "\(total) events in the whole run, all moves for reasons other "
                             + "than a failed cluster, such as rebalancing")]
        }
        let bindings = figures.failoverBindings
        var lines = [Self.row("failover", "\(fault.domain) switched down at \(Self.decimal(fault.time, 0)) s")]
        lines.append(Self.row("  bindings there", "\(figures.affectedByFailover) had replicas on \(fault.domain) at "
                              + "that moment, \(bindings.placedAfterFault) more got replicas there before the "
                              + "scheduler saw that it was down"))
        var ends = ["\(bindings.movedOff) moved off by rescheduling", "\(bindings.removed) deleted with their workload"]
        if bindings.leftOtherwise > 0 { ends.append("\(bindings.leftOtherwise) left with another decision") }
        ends.append("\(bindings.stillThere) still there at the end")
        lines.append(Self.row("  how they left", ends.joined(separator: ", ")))
        lines.append(Self.row("  replicas moved off", "\(figures.replicasMovedOff), by \(figures.rescheduledByFailover) "
                              + "BindingRescheduled events (a binding moves in more than one step when the other "
                              + "clusters take its replicas in parts)"))
        if figures.affectedByFailover + bindings.placedAfterFault == 0 {
            lines.append(Self.row("  failover time", "none needed: no binding had replicas there"))
        } else if let seconds = figures.failoverSeconds {
            lines.append(Self.row("  failover time", "\(Self.decimal(seconds, 1)) s from the fault until no binding "
                                  + "had replicas on \(fault.domain)"))
        } else {
            lines.append(Self.row("  failover time", "not finished: \(bindings.stillThere) bindings still have "
                                  + "replicas on \(fault.domain)"))
        }
        lines.append(Self.row("BindingRescheduled", "\(total) events in the whole run: \(figures.rescheduledByFailover) "
                              + "took replicas off \(fault.domain), \(total - figures.rescheduledByFailover) moved "
                              + "replicas for other reasons, such as rebalancing"))
        return lines
    }

    /// Returns up to `count` indexes spread evenly over `0..<total`, first and last included.
    static func evenlySpaced(_ total: Int, _ count: Int) -> [Int] {
        guard total > count else { return Array(0..<total) }
        return (0..<count).map { Int((Double($0) * Double(total - 1) / Double(count - 1)).rounded()) }
    }

    static func row(_ label: String, _ value: String) -> String {
        label.padding(toLength: max(26, label.count + 1), withPad: " ", startingAt: 0) + value
    }

    static func cell(_ value: String) -> String {
        value.count >= 8 ? value + " " : String(repeating: " ", count: 8 - value.count) + value
    }

    static func decimal(_ value: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }

    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case _ where scalar.value < 0x20: result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
