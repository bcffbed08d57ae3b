import XCTest
final class DRODSEventStoreTestsPlaceholder: XCTestCase { func testNothing() {} }
