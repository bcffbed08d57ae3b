import XCTest
final class DRODSMessagingTestsPlaceholder: XCTestCase { func testNothing() {} }
