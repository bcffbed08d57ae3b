import DRODSCore
import Foundation
import XCTest

final class AuditRecordEncodingTests: XCTestCase {
    func testWireJSONMatchesEncoder() throws {
        var generator = SystemRandomNumberGenerator()
        for index in 0..<500 {
            let record = AuditRecord(
                requestID: "req-\(index)", time: Date(timeIntervalSince1970: Double.random(in: 0...4_000_000_000, using: &generator)),
                actor: index % 3 == 0 ? "anonymous" : "agent-é\"\(index)", role: index % 2 == 0 ? "agent" : nil,
                action: "PUT /api/v1/metrics", resource: "/api/v1/metrics", outcome: "allowed",
                status: [202, 401, 403, 503][index % 4], remoteAddress: index % 5 == 0 ? nil : "127.0.0.1:\(index)")
            let fast = try record.wireJSON()
            XCTAssertEqual(String(decoding: fast, as: UTF8.self), String(decoding: try WireJSON.encode(record), as: UTF8.self))
            XCTAssertEqual(try WireJSON.decode(AuditRecord.self, from: fast).requestID, record.requestID)
        }
    }
}
