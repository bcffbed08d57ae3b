import DRODSCore
import DRODSHTTP
import Foundation

/// `GET /api/v1/monitor/realtime`: the live view from each cluster's last metrics report,
/// with the draft's summary fields (`activeClusters`, `totalPods`, `networkTraffic`) and a
/// water level per cluster.
enum MonitorEndpoints {
    /// A cluster counts as active while its last report is younger than this many seconds.
    static let activeWindowSeconds = 60

    static func register(on router: inout Router, context: GatewayContext) {
        router.get("/api/v1/monitor/realtime") { request, _ in
            try context.authorize(request, .read)
            let rows = try context.readModels.pool.withConnection { connection in
                try connection.query("""
                    SELECT m.cluster, m.report::text, m.water_level, m.received_at,
                           m.received_at > now() - make_interval(secs => $1) AS active
                    FROM monitor_live m ORDER BY m.cluster
                    """, [String(activeWindowSeconds)]).rows
            }
            var clusters: [JSONValue] = []
            var active = 0
            var pods = 0.0
            var traffic = 0.0
            for row in rows {
                let report = try ReadModels.decode(row[1])
                let isActive = row[4] == "t"
                if isActive {
                    active += 1
                    pods += report["podsUsed"]?.doubleValue ?? 0
                    traffic += report["networkTrafficBps"]?.doubleValue ?? 0
                }
                clusters.append(.object([
                    "cluster": .string(row[0] ?? ""), "active": .bool(isActive),
                    "waterLevel": .number(Double(row[2] ?? "0") ?? 0), "lastReport": .string(row[3] ?? ""),
                    "report": report,
                ]))
            }
            return .json(200, JSONValue.object([
                "activeClusters": .number(Double(active)), "totalPods": .number(pods),
                "networkTraffic": .string(formatBitsPerSecond(traffic)),
                "networkTrafficBps": .number(traffic), "clusters": .array(clusters),
            ]))
        }
    }

    /// Formats a rate the way the draft's example does, such as `1.2Gbps`.
    static func formatBitsPerSecond(_ value: Double) -> String {
        let units: [(Double, String)] = [(1e12, "Tbps"), (1e9, "Gbps"), (1e6, "Mbps"), (1e3, "Kbps")]
        for (scale, unit) in units where value >= scale {
            return String(format: "%.1f%@", value / scale, unit)
        }
        return String(format: "%.0fbps", value)
    }
}
