import Foundation

/// Files that hold secrets: created with mode 0600 before anything is written to them.
enum SecretFile {
    static func writeRandom(to url: URL, bytes count: Int) throws {
        var bytes = [UInt8](repeating: 0, count: count)
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/dev/urandom"))
        defer { try? handle.close() }
        let random = handle.readData(ofLength: count)
        guard random.count == count else { throw LauncherError("cannot read /dev/urandom") }
        bytes = Array(random)
        // Hex keeps the file printable, so an operator can copy it into DRODS_JWT_SECRET.
        try write(bytes.map { String(format: "%02x", $0) }.joined(), to: url)
    }

    static func write(_ text: String, to url: URL) throws {
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else { throw LauncherError("cannot write \(url.path): errno \(errno)") }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        handle.write(Data(text.utf8))
        fchmod(descriptor, 0o600)
    }

    static func read(_ url: URL) throws -> String {
        try String(contentsOf: url, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
