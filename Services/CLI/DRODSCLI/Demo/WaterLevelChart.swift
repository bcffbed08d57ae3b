import Foundation

/// Draws water levels over time as a standalone SVG document: one polyline per domain, axes
/// with ticks (seconds on x, water level 0 to 1 on y), a legend, and a dashed line at the fault.
struct WaterLevelChart: Sendable {
    /// Points of one domain, time in seconds and level from 0 to 1, in time order.
    var series: [(name: String, points: [(time: Double, level: Double)])]
    var faultTime: Double?
    var title = "Water level per member cluster"
    var width = 900.0
    var height = 480.0

    /// Line colors, chosen to stay distinguishable for the eight domains of the default fleet.
    static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
                          "#7f7f7f", "#bcbd22", "#17becf"]

    private let left = 60.0, right = 200.0, top = 40.0, bottom = 50.0

    func svg() -> String {
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        let endTime = max(1, series.flatMap { $0.points.map(\.time) }.max() ?? 1)
        func x(_ time: Double) -> String { Self.number(left + time / endTime * plotWidth) }
        func y(_ level: Double) -> String { Self.number(top + (1 - min(1, max(0, level))) * plotHeight) }

        var lines: [String] = []
        lines.append(#"<svg xmlns="http://www.w3.org/2000/svg" width="\#(Self.number(width))" "#
                     + #"height="\#(Self.number(height))" viewBox="0 0 \#(Self.number(width)) \#(Self.number(height))" "#
                     + #"font-family="sans-serif" font-size="12">"#)
        lines.append(#"<rect width="100%" height="100%" fill="white"/>"#)
        lines.append(#"<text x="\#(Self.number(left))" y="24" font-size="15">\#(Self.escape(title))</text>"#)

        // Horizontal grid and y labels every quarter.
        for step in 0...4 {
            let level = Double(step) / 4
            lines.append(#"<line x1="\#(x(0))" y1="\#(y(level))" x2="\#(x(endTime))" y2="\#(y(level))" "#
                         + "stroke=\"#e0e0e0\"/>")
            lines.append(#"<text x="\#(Self.number(left - 8))" y="\#(y(level))" text-anchor="end" "#
                         + #"dominant-baseline="middle">\#(String(format: "%.2f", level))</text>"#)
        }
        let tickStep = Self.tickStep(for: endTime)
        var tick = 0.0
        while tick <= endTime + 1e-9 {
            lines.append(#"<line x1="\#(x(tick))" y1="\#(y(0))" x2="\#(x(tick))" y2="\#(Self.number(top + plotHeight + 5))" "#
                         + #"stroke="black"/>"#)
            lines.append(#"<text x="\#(x(tick))" y="\#(Self.number(top + plotHeight + 18))" "#
                         + #"text-anchor="middle">\#(Self.number(tick))</text>"#)
            tick += tickStep
        }
        lines.append(#"<line x1="\#(x(0))" y1="\#(y(0))" x2="\#(x(endTime))" y2="\#(y(0))" stroke="black"/>"#)
        lines.append(#"<line x1="\#(x(0))" y1="\#(y(0))" x2="\#(x(0))" y2="\#(y(1))" stroke="black"/>"#)
        lines.append(#"<text x="\#(Self.number(left + plotWidth / 2))" y="\#(Self.number(height - 10))" "#
                     + #"text-anchor="middle">seconds since the replay started</text>"#)
        lines.append(#"<text x="16" y="\#(Self.number(top + plotHeight / 2))" text-anchor="middle" "#
                     + #"transform="rotate(-90 16 \#(Self.number(top + plotHeight / 2)))">water level</text>"#)

        if let faultTime {
            lines.append(#"<line x1="\#(x(faultTime))" y1="\#(y(0))" x2="\#(x(faultTime))" y2="\#(y(1))" "#
                         + #"stroke="black" stroke-dasharray="6 4"/>"#)
            lines.append(#"<text x="\#(x(faultTime))" y="\#(Self.number(top - 6))" text-anchor="middle">fault</text>"#)
        }

        for (index, entry) in series.enumerated() {
            let color = Self.palette[index % Self.palette.count]
            let points = entry.points.map { "\(x($0.time)),\(y($0.level))" }.joined(separator: " ")
            lines.append(#"<polyline fill="none" stroke="\#(color)" stroke-width="2" points="\#(points)"/>"#)
            let legendY = top + Double(index) * 20
            let legendX = width - right + 16
            lines.append(#"<line x1="\#(Self.number(legendX))" y1="\#(Self.number(legendY))" "#
                         + #"x2="\#(Self.number(legendX + 20))" y2="\#(Self.number(legendY))" stroke="\#(color)" "#
                         + #"stroke-width="3"/>"#)
            lines.append(#"<text x="\#(Self.number(legendX + 26))" y="\#(Self.number(legendY))" "#
                         + #"dominant-baseline="middle">\#(Self.escape(entry.name))</text>"#)
        }
        lines.append("</svg>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Returns a round step (1, 2 or 5 times a power of ten) that gives at most ten ticks.
    static func tickStep(for span: Double) -> Double {
        let raw = span / 10
        let power = pow(10, floor(log10(max(raw, 1e-9))))
        for factor in [1.0, 2, 5, 10] where factor * power >= raw {
            return factor * power
        }
        return 10 * power
    }

    /// Formats a coordinate with at most one decimal, without a trailing `.0`.
    static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
