import DRODSCLI
import DRODSTestSupport
import Foundation
import XCTest

/// A data folder serves one launcher at a time, and a second one stops before it starts
/// anything, with one sentence that names the folder and the ways out.
final class DataDirectoryLockTests: XCTestCase {
    private func freshDirectory() throws -> URL {
        let directory = URL(fileURLWithPath: "/var/tmp/drods-lock-test-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        return directory
    }

    func testSecondHolderIsRejectedUntilRelease() throws {
        let directory = try freshDirectory()
        let first = try DataDirectoryLock.acquire(directory, checksPostgres: false)

        XCTAssertThrowsError(try DataDirectoryLock.acquire(directory, checksPostgres: false)) { error in
            let message = String(describing: error)
            XCTAssertTrue(message.contains(directory.path), message)
            XCTAssertTrue(message.contains("pid \(getpid())"), message)
            XCTAssertTrue(message.contains("kill \(getpid())"), message)
            XCTAssertTrue(message.contains("--data-dir"), message)
            XCTAssertFalse(message.contains("\n"), "one line: \(message)")
        }

        first.release()
        XCTAssertNoThrow(try DataDirectoryLock.acquire(directory, checksPostgres: false))
    }

    func testLivePostgresPidFileRejectsFolder() throws {
        let directory = try freshDirectory()
        let pgdata = directory.appendingPathComponent("postgres/pgdata")
        try FileManager.default.createDirectory(at: pgdata, withIntermediateDirectories: true)
        // A live `sleep` plays the server, because the check reads only the process id.
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/bin/sleep")
        server.arguments = ["60"]
        try server.run()
        defer { if server.isRunning { server.terminate() } }
        try "\(server.processIdentifier)\n\(pgdata.path)\n".write(
            to: pgdata.appendingPathComponent("postmaster.pid"), atomically: true, encoding: .utf8)

        XCTAssertThrowsError(try DataDirectoryLock.acquire(directory, checksPostgres: true)) { error in
            let message = String(describing: error)
            XCTAssertTrue(message.contains(directory.path), message)
            XCTAssertTrue(message.contains("PostgreSQL server (pid \(server.processIdentifier))"), message)
            XCTAssertTrue(message.contains("--data-dir"), message)
        }
        XCTAssertNoThrow(try DataDirectoryLock.acquire(directory, checksPostgres: false).release(),
                         "with --postgres the private server's folder is not used")

        server.terminate()
        server.waitUntilExit()
        XCTAssertNoThrow(try DataDirectoryLock.acquire(directory, checksPostgres: true),
                         "a pid file left by a server that is gone is no conflict")
    }

    /// `drods up` on a folder in use exits with status 1 and one sentence, and starts no
    /// PostgreSQL there.
    func testUpOnFolderInUseStartsNothing() throws {
        let directory = try freshDirectory()
        let holder = try DataDirectoryLock.acquire(directory, checksPostgres: false)
        defer { holder.release() }

        let errors = directory.appendingPathComponent("up-stderr.txt")
        XCTAssertTrue(FileManager.default.createFile(atPath: errors.path, contents: nil))
        let up = Process()
        up.executableURL = ServiceUnderTest.productsDirectory().appendingPathComponent("drods")
        up.arguments = ["up", "--data-dir", directory.path, "--no-fleet", "--port", String(try FreePort.find())]
        up.standardOutput = FileHandle.nullDevice
        up.standardError = try FileHandle(forWritingTo: errors)
        try up.run()
        let deadline = Date(timeIntervalSinceNow: 30)
        while up.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if up.isRunning { kill(up.processIdentifier, SIGKILL) }
        up.waitUntilExit()

        let message = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        XCTAssertEqual(up.terminationStatus, 1, message)
        XCTAssertEqual(message, "drods: the data folder \(directory.path) is in use by another drods (pid \(getpid())); "
                       + "stop it with `kill \(getpid())` (or Ctrl-C in its terminal), or choose another folder "
                       + "with --data-dir\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("postgres").path),
                       "PostgreSQL must not start on a folder in use")
    }
}
