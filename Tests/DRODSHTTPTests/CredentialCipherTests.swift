import DRODSAuth
import DRODSCore
import Foundation
import XCTest

final class CredentialCipherTests: XCTestCase {
    private let key = [UInt8](0..<32)
    private let otherKey = [UInt8](repeating: 7, count: 32)
    private let plaintext = Data(#"{"token":"cluster-secret"}"#.utf8)
    private let cluster = Data("gcp-production".utf8)

    func testRoundTrip() throws {
        let cipher = try CredentialCipher(key: key)
        let sealed = try cipher.seal(plaintext, associatedData: cluster)
        XCTAssertTrue(sealed.hasPrefix("v1:"))
        XCTAssertFalse(sealed.contains("cluster-secret"))
        let blob = try XCTUnwrap(Data(base64Encoded: String(sealed.dropFirst(3))))
        XCTAssertEqual(blob.count, 12 + plaintext.count + 16, "nonce, ciphertext and tag")
        XCTAssertEqual(try cipher.open(sealed, associatedData: cluster), plaintext)
    }

    func testEmptyPlaintextRoundTrip() throws {
        let cipher = try CredentialCipher(key: key)
        let sealed = try cipher.seal(Data(), associatedData: Data())
        XCTAssertEqual(try cipher.open(sealed, associatedData: Data()), Data())
    }

    func testNonceDiffersPerMessage() throws {
        let cipher = try CredentialCipher(key: key)
        let first = try cipher.seal(plaintext, associatedData: cluster)
        let second = try cipher.seal(plaintext, associatedData: cluster)
        XCTAssertNotEqual(first, second)
    }

    func testTamperedBlobFailsAuthentication() throws {
        let cipher = try CredentialCipher(key: key)
        let sealed = try cipher.seal(plaintext, associatedData: cluster)
        var blob = try XCTUnwrap(Data(base64Encoded: String(sealed.dropFirst(3))))
        // Flip one bit each in the nonce, the ciphertext and the tag.
        for position in [0, 12, blob.count - 1] {
            var tampered = blob
            tampered[position] ^= 0x01
            assertOpenFails(cipher, "v1:" + tampered.base64EncodedString(), cluster, code: .authenticationFailed)
        }
        blob.removeLast()
        assertOpenFails(cipher, "v1:" + blob.base64EncodedString(), cluster, code: .authenticationFailed)
    }

    func testWrongKeyFailsAuthentication() throws {
        let sealed = try CredentialCipher(key: key).seal(plaintext, associatedData: cluster)
        assertOpenFails(try CredentialCipher(key: otherKey), sealed, cluster, code: .authenticationFailed)
    }

    func testWrongAssociatedDataFailsAuthentication() throws {
        let cipher = try CredentialCipher(key: key)
        let sealed = try cipher.seal(plaintext, associatedData: cluster)
        assertOpenFails(cipher, sealed, Data("aws-us-east".utf8), code: .authenticationFailed)
    }

    func testUnknownVersionAndMalformedText() throws {
        let cipher = try CredentialCipher(key: key)
        let sealed = try cipher.seal(plaintext, associatedData: cluster)
        assertOpenFails(cipher, "v2" + sealed.dropFirst(2), cluster, code: .unsupportedVersion)
        assertOpenFails(cipher, "no-separator", cluster, code: .malformed)
        assertOpenFails(cipher, "v1:not base64!", cluster, code: .malformed)
        assertOpenFails(cipher, "v1:" + Data(count: 27).base64EncodedString(), cluster, code: .malformed)
    }

    func testKeyLengthIsChecked() {
        XCTAssertThrowsError(try CredentialCipher(key: [UInt8](repeating: 1, count: 16))) { error in
            XCTAssertEqual((error as? CredentialCipher.CipherError)?.code, .invalidKey)
        }
    }

    func testDescriptionHidesKey() throws {
        let cipher = try CredentialCipher(key: [UInt8](repeating: 0xAB, count: 32))
        for text in ["\(cipher)", String(reflecting: cipher), "\(Mirror(reflecting: cipher).children.map(\.value))"] {
            XCTAssertFalse(text.lowercased().contains("ab, 171") || text.contains("171"), text)
            XCTAssertTrue(text.contains("redacted"), text)
        }
    }

    // MARK: - Environment

    func testFromEnvironmentReadsHexKey() throws {
        let hex = String(repeating: "0f", count: 32)
        let cipher = try CredentialCipher.fromEnvironment(Environment(["DRODS_CREDENTIALS_KEY": hex]))
        let sealed = try cipher.seal(plaintext, associatedData: cluster)
        XCTAssertEqual(try CredentialCipher(key: [UInt8](repeating: 0x0f, count: 32)).open(sealed, associatedData: cluster),
                       plaintext)
    }

    func testFromEnvironmentReadsKeyFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let hexFile = directory.appendingPathComponent("hex")
        try (String(repeating: "A1", count: 32) + "\n").write(to: hexFile, atomically: true, encoding: .utf8)
        let rawFile = directory.appendingPathComponent("raw")
        try Data(repeating: 0xA1, count: 32).write(to: rawFile)

        let fromHex = try CredentialCipher.fromEnvironment(Environment(["DRODS_CREDENTIALS_KEY_FILE": hexFile.path]))
        let fromRaw = try CredentialCipher.fromEnvironment(Environment(["DRODS_CREDENTIALS_KEY_FILE": rawFile.path]))
        let sealed = try fromHex.seal(plaintext, associatedData: cluster)
        XCTAssertEqual(try fromRaw.open(sealed, associatedData: cluster), plaintext)
    }

    func testFromEnvironmentRejectsBadSettings() {
        let secretHex = String(repeating: "ab", count: 31)
        let cases: [(values: [String: String], variable: String, fragment: String)] = [
            ([:], "DRODS_CREDENTIALS_KEY", "no credentials key"),
            (["DRODS_CREDENTIALS_KEY": secretHex], "DRODS_CREDENTIALS_KEY", "got 62 characters"),
            (["DRODS_CREDENTIALS_KEY": String(repeating: "zz", count: 32)], "DRODS_CREDENTIALS_KEY", "hexadecimal"),
            (["DRODS_CREDENTIALS_KEY": String(repeating: "ab", count: 32), "DRODS_CREDENTIALS_KEY_FILE": "/x"],
             "DRODS_CREDENTIALS_KEY", "keep one"),
            (["DRODS_CREDENTIALS_KEY_FILE": "/nonexistent/drods-key"], "DRODS_CREDENTIALS_KEY_FILE", "cannot read"),
        ]
        for testCase in cases {
            XCTAssertThrowsError(try CredentialCipher.fromEnvironment(Environment(testCase.values))) { error in
                let configurationError = error as? ConfigurationError
                XCTAssertEqual(configurationError?.variable, testCase.variable)
                XCTAssertTrue(configurationError?.message.contains(testCase.fragment) ?? false, "\(error)")
                XCTAssertFalse("\(error)".contains(secretHex), "the key must not appear in messages")
            }
        }
    }

    private func assertOpenFails(_ cipher: CredentialCipher, _ sealed: String, _ associatedData: Data,
                                 code: CredentialCipher.CipherError.Code,
                                 file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try cipher.open(sealed, associatedData: associatedData), file: file, line: line) { error in
            XCTAssertEqual((error as? CredentialCipher.CipherError)?.code, code, "\(error)", file: file, line: line)
        }
    }
}
