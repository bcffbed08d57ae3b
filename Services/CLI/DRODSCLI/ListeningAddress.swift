import Foundation

/// Ports that services chose themselves. Services started with port 0 bind a free port and
/// log it; reading it back from the log avoids choosing a port in advance, which another
/// process could take before the service binds it.
public enum ListeningAddress {
    /// Returns the port of the first log line whose `msg` is `message`, from its `address`
    /// (`host:port`), or nil when the service has not logged it yet.
    public static func port(in logFile: URL, message: String) -> Int? {
        guard let text = try? String(contentsOf: logFile, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("{") && line.contains(message) {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  object["msg"] as? String == message,
                  let address = object["address"] as? String,
                  let port = address.split(separator: ":").last.flatMap({ Int($0) }) else { continue }
            return port
        }
        return nil
    }

    /// Log messages that carry the address of a service's listeners.
    public static let adminMessage = "admin endpoints listening"
    public static let apiMessage = "API listening"
}
