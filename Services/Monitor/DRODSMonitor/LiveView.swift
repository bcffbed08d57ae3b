import DRODSCore
import DRODSEventStore
import DRODSMessaging
import Foundation

/// Keeps `monitor_live`, the last metrics report of each cluster with its water level, from
/// the reports the gateway publishes on `drods.metrics.raw`. A report older than the stored
/// one (by its own timestamp) does not replace it, so redelivery and reordering are harmless.
public enum LiveView {
    public static func store(_ message: KafkaMessage, pool: ConnectionPool) throws {
        let report: JSONValue
        do {
            report = try WireJSON.decode(JSONValue.self, from: message.value)
        } catch {
            throw UndecodableMessageError(reason: "not a JSON metrics report: \(error)")
        }
        guard let cluster = report["cluster"]?.stringValue, let timestamp = report["timestamp"]?.stringValue else {
            throw UndecodableMessageError(reason: "metrics report without cluster or timestamp")
        }
        let text = String(decoding: try WireJSON.encode(report), as: UTF8.self)
        _ = try pool.withConnection { connection in
            try connection.query("""
                INSERT INTO monitor_live (cluster, report, water_level, received_at)
                VALUES ($1, $2::jsonb, $3, $4::timestamptz)
                ON CONFLICT (cluster) DO UPDATE
                SET report = excluded.report, water_level = excluded.water_level, received_at = excluded.received_at
                WHERE monitor_live.received_at <= excluded.received_at
                """, [cluster, text, String(waterLevel(of: report)), timestamp])
        }
    }

    /// Computes the resource water level of a report: used over total of its bottleneck dimension,
    /// from 0 to 1. Dimensions without totals are left out, and `cpuUsage` (percent) is used
    /// for CPU when the report has no CPU totals.
    public static func waterLevel(of report: JSONValue) -> Double {
        var levels: [Double] = []
        func ratio(_ used: String, _ total: String) {
            guard let usedValue = report[used]?.doubleValue, let totalValue = report[total]?.doubleValue,
                  totalValue > 0 else { return }
            levels.append(usedValue / totalValue)
        }
        ratio("cpuUsedMillis", "cpuTotalMillis")
        if report["cpuTotalMillis"] == nil, let percent = report["cpuUsage"]?.doubleValue {
            levels.append(percent / 100)
        }
        ratio("memoryUsedBytes", "memoryTotalBytes")
        ratio("gpuUsed", "gpuTotal")
        ratio("podsUsed", "podsTotal")
        ratio("storageUsedBytes", "storageTotalBytes")
        return min(1, max(0, levels.max() ?? 0))
    }
}
