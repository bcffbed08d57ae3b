import DRODSCore
import DRODSDomain
import Foundation
import XCTest

/// Parses JSON text written in a test.
func json(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> JSONValue {
    do {
        return try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    } catch {
        XCTFail("test JSON does not parse: \(error)\n\(text)", file: file, line: line)
        return .null
    }
}

/// Returns `input` with `value` at the dotted `path`, for deriving invalid cases from a valid one.
func replacing(_ path: String, with value: JSONValue, in input: JSONValue) -> JSONValue {
    do {
        return try FieldPath.parse(path).set(value, in: input)
    } catch {
        XCTFail("cannot set \(path): \(error)")
        return input
    }
}

/// Returns `input` without the member at the end of the dotted `path`.
func removing(_ path: String, from input: JSONValue) -> JSONValue {
    var segments = path.split(separator: ".").map(String.init)
    let last = segments.removeLast()
    func remove(in value: JSONValue, _ remaining: ArraySlice<String>) -> JSONValue {
        guard case .object(var members) = value else { return value }
        if let first = remaining.first {
            members[first] = remove(in: members[first] ?? .null, remaining.dropFirst())
        } else {
            members[last] = nil
        }
        return .object(members)
    }
    return remove(in: input, segments[...])
}

/// Asserts that `body` throws a `ValidationError` with an error at `field` whose message
/// contains `fragment`, and returns all errors for further checks.
@discardableResult
func assertFieldError<T>(_ body: @autoclosure () throws -> T, field: String, contains fragment: String,
                         file: StaticString = #filePath, line: UInt = #line) -> [FieldError] {
    do {
        let value = try body()
        XCTFail("expected a field error at \(field), but validation passed: \(value)", file: file, line: line)
        return []
    } catch let error as ValidationError {
        let matching = error.errors(at: field)
        XCTAssertFalse(matching.isEmpty, "no error at \(field); got: \(error)", file: file, line: line)
        XCTAssertTrue(matching.contains { $0.message.contains(fragment) },
                      "no error at \(field) contains \"\(fragment)\"; got: \(matching)", file: file, line: line)
        return error.errors
    } catch {
        XCTFail("expected ValidationError, got \(error)", file: file, line: line)
        return []
    }
}
