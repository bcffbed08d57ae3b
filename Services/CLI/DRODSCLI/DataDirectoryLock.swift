import Foundation

/// Exclusive use of a launcher's data folder, held from before anything starts until the
/// launcher exits. Two `drods up` or `drods demo` on one folder would share one PostgreSQL data
/// directory, and the second would fail inside PostgreSQL with a message about
/// `postmaster.pid` that names neither the folder nor the way out.
///
/// The lock is a `flock` on `drods.lock` in the folder, which the kernel releases when the
/// process exits, however it exits, so a crash leaves no stale lock. The file contains the
/// holder's process id, for the message a second launcher prints.
public final class DataDirectoryLock: @unchecked Sendable {
    public static let fileName = "drods.lock"

    public let directory: URL
    private var descriptor: Int32

    private init(directory: URL, descriptor: Int32) {
        self.directory = directory
        self.descriptor = descriptor
    }

    deinit { release() }

    /// Takes the lock of `directory`, which must exist. With `checksPostgres`, it also rejects
    /// a folder whose PostgreSQL data directory (`postgres/pgdata`) has a live server, such as
    /// one left running by a launcher that was killed. Throws a `LauncherError` whose message
    /// names the folder, the process that uses it and what to do.
    public static func acquire(_ directory: URL, checksPostgres: Bool) throws -> DataDirectoryLock {
        let path = directory.appendingPathComponent(fileName).path
        // O_CLOEXEC keeps the services and PostgreSQL from inheriting the descriptor, so the
        // lock ends with this process and not with the last of its children.
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw LauncherError("opening the lock file \(path) failed: \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let lockError = errno
            let holder = readProcessID(descriptor: descriptor)
            close(descriptor)
            guard lockError == EWOULDBLOCK else {
                throw LauncherError("locking \(path) failed: \(String(cString: strerror(lockError)))")
            }
            throw inUse(directory, by: holder.map { "another drods (pid \($0))" } ?? "another drods",
                        stop: holder.map { "`kill \($0)` (or Ctrl-C in its terminal)" } ?? "Ctrl-C in its terminal")
        }
        let lock = DataDirectoryLock(directory: directory, descriptor: descriptor)

        let pidFile = directory.appendingPathComponent("postgres/pgdata/postmaster.pid")
        if checksPostgres, let server = livePostgres(pidFile: pidFile) {
            throw inUse(directory, by: "a PostgreSQL server (pid \(server)) on \(pidFile.deletingLastPathComponent().path)",
                        stop: "`kill -INT \(server)`")
        }

        let text = "\(getpid())\n"
        _ = ftruncate(descriptor, 0)
        _ = text.withCString { pwrite(descriptor, $0, strlen($0), 0) }
        return lock
    }

    /// Releases the lock; the file stays, because removing it could split two launchers
    /// between the old file and a new one.
    public func release() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }

    // MARK: - Helpers

    private static func inUse(_ directory: URL, by user: String, stop: String) -> LauncherError {
        LauncherError("the data folder \(directory.path) is in use by \(user); stop it with \(stop), "
                      + "or choose another folder with --data-dir")
    }

    private static func readProcessID(descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[0..<count], as: UTF8.self)
        return text.split(whereSeparator: \.isNewline).first.flatMap { Int32($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// Returns the process id in PostgreSQL's `postmaster.pid` (its first line) when a process
    /// with that id exists, including one of another user (`kill` fails with `EPERM`). A file
    /// left behind by a crashed server, with no such process, is no conflict, because
    /// PostgreSQL replaces it at start.
    static func livePostgres(pidFile: URL) -> Int32? {
        guard let text = try? String(contentsOf: pidFile, encoding: .utf8),
              let first = text.split(whereSeparator: \.isNewline).first,
              let pid = Int32(first.trimmingCharacters(in: .whitespaces)), pid > 0 else { return nil }
        guard kill(pid, 0) == 0 || errno == EPERM else { return nil }
        return pid
    }
}
