@testable import DRODSGateway
import Foundation
import XCTest

/// The ASCII fast path must return the token the general path (lowercase the header, check
/// the scheme, trim whitespace) returns, or nil and leave the header to that path.
final class BearerTokenTests: XCTestCase {
    private func generalToken(_ header: String) -> String? {
        let prefix = "bearer "
        guard header.count > prefix.count, header.lowercased().hasPrefix(prefix) else { return nil }
        return String(header.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
    }

    func testPlainHeadersTakeFastPath() {
        let headers = ["Bearer abc.def.ghi", "bearer x", "BEARER eyJhbGciOi.J9.sig-_", "BeArEr a b"]
        for header in headers {
            let token = GatewayAPI.plainBearerToken(header)
            XCTAssertNotNil(token, header)
            XCTAssertEqual(token, generalToken(header), header)
        }
    }

    func testOtherHeadersFallBack() {
        let headers = [
            "Bearer", "Bearer ", "Bearer  abc", "Bearer abc ", "Bearer\tabc", "Bearer abc\t",
            "Basic abc", "Bearer\u{0}abc", "Bearer \u{00A0}abc", "Bearer abc\u{2003}",
            "Bearer \u{0301}abc", "Bearerabc", "bearer",
        ]
        for header in headers {
            XCTAssertNil(GatewayAPI.plainBearerToken(header), header.debugDescription)
        }
    }
}
