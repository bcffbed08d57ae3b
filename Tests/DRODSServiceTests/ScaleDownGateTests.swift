@testable import DRODSController
import XCTest

final class ScaleDownGateTests: XCTestCase {
    func testOldReplicasWaitForNewOnes() {
        let current = ["east": 2, "west": 2]
        let target = ["west": 4]
        XCTAssertEqual(ScaleDownGate.allowedDecreases(current: current, target: target, ready: ["west": 2]), [],
                       "west has 2 of its 4 ready: east keeps running")
        XCTAssertEqual(ScaleDownGate.allowedDecreases(current: current, target: target, ready: ["west": 4, "east": 2]),
                       ["east"])
    }

    func testPureScaleDownNeedsNoWait() {
        XCTAssertEqual(ScaleDownGate.allowedDecreases(current: ["east": 3, "west": 3], target: ["east": 1, "west": 3],
                                                      ready: [:]), ["east"])
        XCTAssertEqual(ScaleDownGate.allowedDecreases(current: ["east": 3], target: [:], ready: [:]), ["east"],
                       "a workload placed nowhere now loses its replicas at once")
        XCTAssertEqual(ScaleDownGate.allowedDecreases(current: ["east": 1], target: ["east": 1, "west": 1], ready: [:]), [],
                       "nothing decreases")
    }
}
