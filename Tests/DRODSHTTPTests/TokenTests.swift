import DRODSCore
@testable import DRODSAuth
import Foundation
import XCTest

/// An RSA key pair generated once per test run with the openssl command-line tool.
private struct RSAKeyPair: Sendable {
    let privateKeyPEM: String
    let publicKeyPEM: String

    static let shared: RSAKeyPair? = generate()

    private static func generate() -> RSAKeyPair? {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("drods-jwt-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let privatePath = directory.appendingPathComponent("private.pem").path
            let publicPath = directory.appendingPathComponent("public.pem").path
            let generated = try runTool("/usr/bin/openssl", [
                "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                "-out", privatePath,
            ])
            let derived = try runTool("/usr/bin/openssl", ["pkey", "-in", privatePath, "-pubout",
                                                           "-out", publicPath])
            guard generated.status == 0, derived.status == 0 else { return nil }
            return RSAKeyPair(privateKeyPEM: try String(contentsOfFile: privatePath, encoding: .utf8),
                              publicKeyPEM: try String(contentsOfFile: publicPath, encoding: .utf8))
        } catch {
            return nil
        }
    }
}

final class TokenTests: XCTestCase {
    private let secret = "0123456789abcdef0123456789abcdef-test-secret"
    private let now = Date(timeIntervalSince1970: 1_750_000_000)

    private func keys() throws -> RSAKeyPair {
        try XCTUnwrap(RSAKeyPair.shared, "openssl could not generate an RSA key")
    }

    private func hsVerifier() throws -> TokenVerifier {
        try TokenVerifier(hs256Secret: secret)
    }

    private func rsVerifier() throws -> TokenVerifier {
        try TokenVerifier(rs256PublicKeyPEM: try keys().publicKeyPEM)
    }

    private func claims(role: Role = .operator, cluster: String? = nil, exp: Int64? = nil,
                        nbf: Int64? = nil, iss: String = "drods",
                        aud: [String] = ["drods-api"]) -> TokenClaims {
        let issuedAt = Int64(now.timeIntervalSince1970)
        return TokenClaims(sub: "alice", iss: iss, aud: aud, exp: exp ?? issuedAt + 600,
                           nbf: nbf ?? issuedAt, iat: issuedAt, role: role, cluster: cluster,
                           jti: "token-1")
    }

    /// Builds a token from raw header and payload JSON with the given signature bytes.
    private func rawToken(header: String, payload: String, signature: Data = Data()) -> String {
        Base64URL.encode(header) + "." + Base64URL.encode(payload) + "." + Base64URL.encode(signature)
    }

    private func assertRejected(_ token: String, by verifier: TokenVerifier,
                                code: AuthenticationError.Code, at time: Date? = nil,
                                file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try verifier.verify(token, now: time ?? now), file: file, line: line) {
            error in
            guard let failure = error as? AuthenticationError else {
                return XCTFail("unexpected error \(error)", file: file, line: line)
            }
            XCTAssertEqual(failure.code, code, failure.message, file: file, line: line)
            if !token.isEmpty {
                XCTAssertFalse(failure.message.contains(token), "message echoes the token",
                               file: file, line: line)
            }
        }
    }

    // MARK: - Round trips

    func testHS256RoundTrip() throws {
        let signer = TokenSigner(hs256Secret: secret)
        let token = try signer.sign(role: .operator, subject: "alice", lifetime: 600, now: now)

        let verified = try hsVerifier().verify(token, now: now)

        XCTAssertEqual(token.split(separator: ".").count, 3)
        XCTAssertFalse(token.contains("="))
        XCTAssertEqual(verified.sub, "alice")
        XCTAssertEqual(verified.role, .operator)
        XCTAssertEqual(verified.iss, "drods")
        XCTAssertEqual(verified.aud, ["drods-api"])
        XCTAssertEqual(verified.exp, Int64(now.timeIntervalSince1970) + 600)
        XCTAssertNotNil(verified.jti)
    }

    func testTokenCacheExpiresAndSkipsBadTokens() throws {
        let cache = VerifiedTokenCache(verifier: try hsVerifier(), capacity: 2)
        let token = try TokenSigner(hs256Secret: secret).sign(role: .viewer, subject: "bob", lifetime: 60, now: now)

        XCTAssertEqual(try cache.verify(token, now: now).sub, "bob")
        XCTAssertEqual(try cache.verify(token, now: now.addingTimeInterval(30)).sub, "bob")
        // The second call was a hit, and a hit still checks the time claims.
        XCTAssertThrowsError(try cache.verify(token, now: now.addingTimeInterval(3600))) { error in
            XCTAssertEqual((error as? AuthenticationError)?.code, .expired)
        }
        let tampered = String(token.dropLast(2)) + (token.hasSuffix("AA") ? "BB" : "AA")
        for _ in 0..<2 {
            XCTAssertThrowsError(try cache.verify(tampered, now: now)) { error in
                XCTAssertEqual((error as? AuthenticationError)?.code, .badSignature)
            }
        }
    }

    func testBase64URLDecodesEveryAlphabetCharacter() {
        let bytes = Data((0...255).map { UInt8($0) })
        let encoded = Base64URL.encode(bytes)
        XCTAssertTrue(encoded.contains("-"))
        XCTAssertTrue(encoded.contains("_"))
        XCTAssertEqual(Base64URL.decode(Substring(encoded)), bytes)
        XCTAssertNil(Base64URL.decode(Substring(encoded + "=")))
        XCTAssertNil(Base64URL.decode("abcde"))
    }

    func testRS256RoundTripForAgent() throws {
        let signer = try TokenSigner(rs256PrivateKeyPEM: try keys().privateKeyPEM)
        let token = try signer.sign(role: .agent, subject: "agent-gcp", cluster: "gcp-prod",
                                    lifetime: 600, now: now)

        let verified = try rsVerifier().verify(token, now: now)

        XCTAssertEqual(signer.algorithm, .rs256)
        XCTAssertEqual(verified.role, .agent)
        XCTAssertEqual(verified.cluster, "gcp-prod")
    }

    func testBothAlgorithmsWithOneVerifier() throws {
        let verifier = try TokenVerifier(hs256Secret: secret,
                                         rs256PublicKeyPEM: try keys().publicKeyPEM)
        let hs = try TokenSigner(hs256Secret: secret).sign(claims())
        let rs = try TokenSigner(rs256PrivateKeyPEM: try keys().privateKeyPEM).sign(claims())

        XCTAssertEqual(verifier.algorithms, [.hs256, .rs256])
        XCTAssertEqual(try verifier.verify(hs, now: now).sub, "alice")
        XCTAssertEqual(try verifier.verify(rs, now: now).sub, "alice")
    }

    func testBearerHeader() throws {
        let token = try TokenSigner(hs256Secret: secret).sign(claims(role: .viewer))
        let verifier = try hsVerifier()

        XCTAssertEqual(try verifier.verify(authorizationHeader: "Bearer \(token)", now: now).role,
                       .viewer)
        for header in [nil, "", "Basic dXNlcjpwYXNz", "Bearer"] as [String?] {
            XCTAssertThrowsError(try verifier.verify(authorizationHeader: header, now: now)) {
                XCTAssertEqual(($0 as? AuthenticationError)?.code, .missingToken, "\(String(describing: header))")
            }
        }
    }

    func testAudienceArrayAccepted() throws {
        let token = try TokenSigner(hs256Secret: secret)
            .sign(claims(aud: ["other-api", "drods-api"]))
        XCTAssertEqual(try hsVerifier().verify(token, now: now).aud, ["other-api", "drods-api"])
    }

    func testLeewayAcceptsSmallSkew() throws {
        let token = try TokenSigner(hs256Secret: secret).sign(claims())
        let verifier = try hsVerifier()
        let expiry = now.addingTimeInterval(600)

        XCTAssertNoThrow(try verifier.verify(token, now: expiry.addingTimeInterval(29)))
        assertRejected(token, by: verifier, code: .expired, at: expiry.addingTimeInterval(30))
    }

    // MARK: - Rejections

    func testBadSignatureRejected() throws {
        let token = try TokenSigner(hs256Secret: "another-secret-of-enough-length-0123456789")
            .sign(claims())
        assertRejected(token, by: try hsVerifier(), code: .badSignature)
    }

    func testTamperedPayloadRejected() throws {
        let token = try TokenSigner(hs256Secret: secret).sign(claims(role: .viewer))
        let parts = token.split(separator: ".")
        let forged = try WireJSON.encode(claims(role: .admin))
        let tampered = "\(parts[0]).\(Base64URL.encode(forged)).\(parts[2])"

        assertRejected(tampered, by: try hsVerifier(), code: .badSignature)
    }

    func testTamperedRS256PayloadRejected() throws {
        let token = try TokenSigner(rs256PrivateKeyPEM: try keys().privateKeyPEM)
            .sign(claims(role: .viewer))
        let parts = token.split(separator: ".")
        let forged = try WireJSON.encode(claims(role: .admin))
        let tampered = "\(parts[0]).\(Base64URL.encode(forged)).\(parts[2])"

        assertRejected(tampered, by: try rsVerifier(), code: .badSignature)
    }

    func testExpiredRejected() throws {
        let issued = Int64(now.timeIntervalSince1970)
        let token = try TokenSigner(hs256Secret: secret)
            .sign(claims(exp: issued - 120, nbf: issued - 600))
        assertRejected(token, by: try hsVerifier(), code: .expired)
    }

    func testNotYetValidRejected() throws {
        let issued = Int64(now.timeIntervalSince1970)
        let token = try TokenSigner(hs256Secret: secret)
            .sign(claims(exp: issued + 3600, nbf: issued + 120))
        assertRejected(token, by: try hsVerifier(), code: .notYetValid)
    }

    func testWrongIssuerRejected() throws {
        let token = try TokenSigner(hs256Secret: secret, issuer: "someone-else")
            .sign(role: .viewer, subject: "alice", lifetime: 600, now: now)
        assertRejected(token, by: try hsVerifier(), code: .wrongIssuer)
    }

    func testWrongAudienceRejected() throws {
        let token = try TokenSigner(hs256Secret: secret, audience: "billing-api")
            .sign(role: .viewer, subject: "alice", lifetime: 600, now: now)
        assertRejected(token, by: try hsVerifier(), code: .wrongAudience)
    }

    func testAlgorithmNoneRejected() throws {
        let payload = String(decoding: try WireJSON.encode(claims(role: .admin)), as: UTF8.self)
        for alg in ["none", "None", "NONE"] {
            let token = rawToken(header: #"{"alg":"\#(alg)","typ":"JWT"}"#, payload: payload)
            assertRejected(token, by: try hsVerifier(), code: .unsupportedAlgorithm)
            assertRejected(token, by: try rsVerifier(), code: .unsupportedAlgorithm)
        }
    }

    func testHS256RejectedWhenOnlyRS256Configured() throws {
        let token = try TokenSigner(hs256Secret: secret).sign(claims())
        assertRejected(token, by: try rsVerifier(), code: .unsupportedAlgorithm)
    }

    func testRS256RejectedWhenOnlyHS256Configured() throws {
        let token = try TokenSigner(rs256PrivateKeyPEM: try keys().privateKeyPEM).sign(claims())
        assertRejected(token, by: try hsVerifier(), code: .unsupportedAlgorithm)
    }

    func testPublicKeyAsHMACSecretRejected() throws {
        let publicKey = try keys().publicKeyPEM
        let token = try TokenSigner(hs256Secret: publicKey).sign(claims(role: .admin))

        assertRejected(token, by: try rsVerifier(), code: .unsupportedAlgorithm)
        let both = try TokenVerifier(hs256Secret: secret, rs256PublicKeyPEM: publicKey)
        assertRejected(token, by: both, code: .badSignature)
    }

    func testAgentWithoutClusterRejected() throws {
        let token = try TokenSigner(hs256Secret: secret).sign(claims(role: .agent, cluster: nil))
        assertRejected(token, by: try hsVerifier(), code: .missingClaim)

        XCTAssertThrowsError(try TokenSigner(hs256Secret: secret)
            .sign(role: .agent, subject: "agent", lifetime: 60, now: now)) {
            XCTAssertEqual(($0 as? AuthenticationError)?.code, .missingClaim)
        }
    }

    func testUnknownRoleRejected() throws {
        let signer = TokenSigner(hs256Secret: secret)
        let issued = Int64(now.timeIntervalSince1970)
        for role in [#""root""#, #""""#, "7"] {
            let payload = #"{"sub":"alice","iss":"drods","aud":"drods-api","exp":\#(issued + 600),"role":\#(role)}"#
            let token = try signer.sign(payload: Data(payload.utf8))
            let expected: AuthenticationError.Code = role == "7" ? .malformed : .invalidRole
            assertRejected(token, by: try hsVerifier(), code: expected)
        }
        let withoutRole = #"{"sub":"alice","iss":"drods","aud":"drods-api","exp":\#(issued + 600)}"#
        assertRejected(try signer.sign(payload: Data(withoutRole.utf8)), by: try hsVerifier(),
                       code: .invalidRole)
    }

    func testMissingRequiredClaimsRejected() throws {
        let signer = TokenSigner(hs256Secret: secret)
        let issued = Int64(now.timeIntervalSince1970)
        let withoutExp = #"{"sub":"alice","iss":"drods","aud":"drods-api","role":"viewer"}"#
        let withoutSub = #"{"iss":"drods","aud":"drods-api","exp":\#(issued + 600),"role":"viewer"}"#

        assertRejected(try signer.sign(payload: Data(withoutExp.utf8)), by: try hsVerifier(),
                       code: .missingClaim)
        assertRejected(try signer.sign(payload: Data(withoutSub.utf8)), by: try hsVerifier(),
                       code: .missingClaim)
    }

    func testMalformedTokensRejected() throws {
        let verifier = try hsVerifier()
        let valid = try TokenSigner(hs256Secret: secret).sign(claims())
        let parts = valid.split(separator: ".")
        let cases = [
            "abc",
            "a.b",
            "a.b.c.d",
            "!!!.\(parts[1]).\(parts[2])",
            "\(parts[0])=.\(parts[1]).\(parts[2])",
            rawToken(header: "not json", payload: "{}"),
            rawToken(header: #"{"typ":"JWT"}"#, payload: "{}"),
            rawToken(header: #"{"alg":"HS256","typ":"JWE"}"#, payload: "{}"),
            String(repeating: "a", count: 9000) + ".b.c",
        ]
        for token in cases {
            assertRejected(token, by: verifier, code: .malformed)
        }
        assertRejected("", by: verifier, code: .missingToken)
    }

    func testPayloadThatIsNotClaimsRejected() throws {
        let signer = TokenSigner(hs256Secret: secret)
        for payload in ["[1,2]", "not json", #"{"sub":"alice","exp":"tomorrow"}"#] {
            assertRejected(try signer.sign(payload: Data(payload.utf8)), by: try hsVerifier(),
                           code: .malformed)
        }
    }

    func testInvalidKeysRaiseCryptoError() {
        XCTAssertThrowsError(try TokenVerifier(rs256PublicKeyPEM: "not a key"))
        XCTAssertThrowsError(try TokenSigner(rs256PrivateKeyPEM: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"))
        XCTAssertThrowsError(try TokenVerifier()) { error in
            XCTAssertTrue(error is CryptoError, "\(error)")
        }
    }

    func testClaimsDecodeAudienceStringOrArray() throws {
        let single = #"{"sub":"a","iss":"drods","aud":"x","exp":10.9,"role":"viewer"}"#
        let many = #"{"sub":"a","iss":"drods","aud":["x","y"],"exp":10,"role":"viewer"}"#

        let decodedSingle = try JSONDecoder().decode(TokenClaims.self, from: Data(single.utf8))
        let decodedMany = try JSONDecoder().decode(TokenClaims.self, from: Data(many.utf8))

        XCTAssertEqual(decodedSingle.aud, ["x"])
        XCTAssertEqual(decodedSingle.exp, 10)
        XCTAssertEqual(decodedMany.aud, ["x", "y"])
        let encoded = String(decoding: try WireJSON.encode(decodedSingle), as: UTF8.self)
        XCTAssertTrue(encoded.contains(#""aud":"x""#), encoded)
    }
}
