import DRODSCore
import Foundation
import XCTest

/// The envelope overloads of `WireJSON` must write and read what the generic Codable paths do.
final class EnvelopeEncodingTests: XCTestCase {
    private let payloads: [JSONValue] = [
        .null, .object([:]),
        .object(["request": .object(["requirements": .object(["cpu": .string("100m")]), "replicas": .number(2)])]),
        .object(["name": .string("a/é\"b"), "list": .array([.bool(true), .number(-1.5), .null])]),
    ]

    func testCommandMatchesCodable() throws {
        for (index, payload) in payloads.enumerated() {
            let command = CommandEnvelope(correlationID: "req-\(index)", type: "CreateBinding", actor: "admin",
                                          replyTopic: "drods.replies",
                                          issuedAt: Date(timeIntervalSince1970: 1_700_000_000 + Double(index) * 7.25),
                                          payload: payload)
            let fast = try WireJSON.encode(command)
            XCTAssertEqual(String(decoding: fast, as: UTF8.self),
                           String(decoding: try WireJSON.encoder().encode(command), as: UTF8.self))
            XCTAssertEqual(try WireJSON.decode(CommandEnvelope.self, from: fast),
                           try WireJSON.decoder().decode(CommandEnvelope.self, from: fast))
        }
    }

    func testReplyMatchesCodable() throws {
        let replies = [
            ReplyEnvelope(commandID: "c1", correlationID: "r1", outcome: .accepted, version: 1, sequence: 42,
                          transactionID: 9_000_000_000, result: .object(["bindingId": .string("b1")])),
            ReplyEnvelope(commandID: "c2", correlationID: "r2", outcome: .rejected, code: "INVALID",
                          message: "replicas: must be positive", details: .object(["field": .string("replicas")])),
            ReplyEnvelope(commandID: "c3", correlationID: "r3", outcome: .accepted),
        ]
        for reply in replies {
            let fast = try WireJSON.encode(reply)
            XCTAssertEqual(String(decoding: fast, as: UTF8.self),
                           String(decoding: try WireJSON.encoder().encode(reply), as: UTF8.self))
            XCTAssertEqual(try WireJSON.decode(ReplyEnvelope.self, from: fast), reply)
        }
    }

    func testReplyDecodingFallsBack() throws {
        let cases = [
            #"{"commandID":"c","correlationID":"r","outcome":"accepted","version":2.5}"#,
            #"{"commandID":"c","correlationID":"r","outcome":"maybe"}"#,
            #"{"commandID":"c","outcome":"accepted"}"#,
            #"{"commandID":"c","correlationID":"r","outcome":"accepted","code":7}"#,
        ]
        for text in cases {
            XCTAssertThrowsError(try WireJSON.decode(ReplyEnvelope.self, from: Data(text.utf8)), text)
        }
        let nulls = #"{"commandID":"c","correlationID":"r","outcome":"rejected","code":null,"details":null}"#
        XCTAssertEqual(try WireJSON.decode(ReplyEnvelope.self, from: Data(nulls.utf8)),
                       try WireJSON.decoder().decode(ReplyEnvelope.self, from: Data(nulls.utf8)))
    }

    func testCommandDecodingFallsBack() {
        let missingDate = #"{"id":"c","correlationID":"r","type":"T","actor":"a","replyTopic":"t","payload":{}}"#
        XCTAssertThrowsError(try WireJSON.decode(CommandEnvelope.self, from: Data(missingDate.utf8)))
    }
}
