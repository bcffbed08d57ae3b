import XCTest
final class DRODSHTTPTestsPlaceholder: XCTestCase { func testNothing() {} }
