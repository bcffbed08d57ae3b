@testable import DRODSCLI
import Foundation
import XCTest

/// A temporary data folder goes away at exit, except for the files a command keeps in it, such
/// as the demo's results.
final class TemporaryDataDirectoryTests: XCTestCase {
    private func folder(with names: [String]) throws -> URL {
        let directory = URL(fileURLWithPath: "/var/tmp/drods-kept-test-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("postgres/pgdata"),
                                                withIntermediateDirectories: true)
        for name in names {
            try "x".write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        return directory
    }

    func testKeptFilesStayAndTheRestGoes() throws {
        let kept: Set<String> = [DemoCommand.chartFileName, DemoCommand.reportFileName]
        let directory = try folder(with: ["jwt.secret", "drods.lock", DemoCommand.chartFileName, DemoCommand.reportFileName])

        Launcher.removeTemporaryDirectory(directory, keeping: kept)

        let left = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        XCTAssertEqual(left, [DemoCommand.reportFileName, DemoCommand.chartFileName].sorted())
    }

    func testFolderWithoutKeptFilesIsRemoved() throws {
        let directory = try folder(with: ["jwt.secret"])

        Launcher.removeTemporaryDirectory(directory, keeping: [DemoCommand.chartFileName])

        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.path))
    }
}
