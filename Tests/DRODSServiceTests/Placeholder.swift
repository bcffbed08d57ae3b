import XCTest
final class DRODSServiceTestsPlaceholder: XCTestCase { func testNothing() {} }
