import Foundation

/// A file holding the port a server bound, written after the bind, so a launcher that started
/// the service on port 0 learns the port whatever the log level. The port is written to a
/// temporary file that is then renamed, so a reader never sees a partial number.
public enum PortFile {
    public static func write(_ port: Int, to path: String) throws {
        let temporary = path + ".tmp"
        try Data("\(port)\n".utf8).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }

    /// Returns the port in `path`, or nil while the file does not exist yet.
    public static func read(_ path: String) -> Int? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
