import DRODSAuth
import DRODSCore
import Foundation
import XCTest

final class AuthConfigurationTests: XCTestCase {
    private let secret = String(repeating: "s", count: 40)
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("drods-auth-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: directory)
    }

    private func write(_ text: String, _ name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    private func assertConfigurationError(_ values: [String: String], variable: String,
                                          file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try AuthConfiguration.fromEnvironment(Environment(values)),
                             file: file, line: line) { error in
            guard let failure = error as? ConfigurationError else {
                return XCTFail("unexpected error \(error)", file: file, line: line)
            }
            XCTAssertEqual(failure.variable, variable, failure.message, file: file, line: line)
            XCTAssertFalse(failure.description.contains(self.secret), file: file, line: line)
        }
    }

    func testDefaultsWithInlineSecret() throws {
        let configuration = try AuthConfiguration.fromEnvironment(
            Environment(["DRODS_JWT_SECRET": secret]))

        XCTAssertEqual(configuration.hs256Secret, secret)
        XCTAssertEqual(configuration.issuer, "drods")
        XCTAssertEqual(configuration.audience, "drods-api")
        XCTAssertEqual(configuration.leeway, 30)
        XCTAssertNil(configuration.rs256PublicKeyPEM)
    }

    func testSecretFileIsTrimmed() throws {
        let path = try write(secret + "\n", "secret")
        let configuration = try AuthConfiguration.fromEnvironment(Environment([
            "DRODS_JWT_SECRET_FILE": path, "DRODS_JWT_ISSUER": "corp",
            "DRODS_JWT_AUDIENCE": "corp-api", "DRODS_JWT_LEEWAY_S": "5",
        ]))

        XCTAssertEqual(configuration.hs256Secret, secret)
        XCTAssertEqual(configuration.issuer, "corp")
        XCTAssertEqual(configuration.audience, "corp-api")
        XCTAssertEqual(configuration.leeway, 5)
    }

    func testInvalidSettingsRejected() throws {
        assertConfigurationError(["DRODS_JWT_SECRET": "short"], variable: "DRODS_JWT_SECRET")
        assertConfigurationError(["DRODS_JWT_SECRET_FILE": try write("short\n", "short")],
                                 variable: "DRODS_JWT_SECRET_FILE")
        assertConfigurationError(["DRODS_JWT_SECRET": secret,
                                  "DRODS_JWT_SECRET_FILE": try write(secret, "both")],
                                 variable: "DRODS_JWT_SECRET")
        assertConfigurationError(["DRODS_JWT_SECRET_FILE": directory.path + "/missing"],
                                 variable: "DRODS_JWT_SECRET_FILE")
        assertConfigurationError(["DRODS_JWT_PUBLIC_KEY_FILE": try write("garbage", "public.pem")],
                                 variable: "DRODS_JWT_PUBLIC_KEY_FILE")
        assertConfigurationError(["DRODS_JWT_SECRET": secret, "DRODS_JWT_LEEWAY_S": "-1"],
                                 variable: "DRODS_JWT_LEEWAY_S")
        assertConfigurationError([:], variable: "DRODS_JWT_SECRET")
    }

    func testKeyFilesLoaded() throws {
        let privatePath = directory.appendingPathComponent("private.pem").path
        let publicPath = directory.appendingPathComponent("public.pem").path
        XCTAssertEqual(try runTool("/usr/bin/openssl", [
            "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", privatePath,
        ]).status, 0)
        XCTAssertEqual(try runTool("/usr/bin/openssl", [
            "pkey", "-in", privatePath, "-pubout", "-out", publicPath,
        ]).status, 0)

        let configuration = try AuthConfiguration.fromEnvironment(Environment([
            "DRODS_JWT_PUBLIC_KEY_FILE": publicPath, "DRODS_JWT_PRIVATE_KEY_FILE": privatePath,
        ]))
        let token = try TokenSigner(configuration: configuration)
            .sign(role: .admin, subject: "root", lifetime: 60)

        XCTAssertEqual(try TokenVerifier(configuration: configuration).verify(token).role, .admin)
    }

    func testDescriptionHidesSecrets() throws {
        let configuration = try AuthConfiguration.fromEnvironment(
            Environment(["DRODS_JWT_SECRET": secret]))
        var dumped = ""
        dump(configuration, to: &dumped)

        for text in [String(describing: configuration), String(reflecting: configuration), dumped] {
            XCTAssertFalse(text.contains(secret), text)
        }
        XCTAssertTrue(String(describing: configuration).contains("HS256 secret"))
    }
}
