import DRODSMonitor
import Foundation
import XCTest

final class LoadSamplerTests: XCTestCase {
    func testMeansComeWhenIntervalCloses() {
        var sampler = LoadSampler(periodSeconds: 300)
        let start = Date(timeIntervalSince1970: 1_800_000_000)  // on a 300 s boundary
        XCTAssertEqual(sampler.add(["a": 0.2, "b": 0.5], at: start), [])
        XCTAssertEqual(sampler.add(["a": 0.4], at: start.addingTimeInterval(100)), [])
        let closed = sampler.add(["a": 0.9], at: start.addingTimeInterval(300))
        XCTAssertEqual(closed.map(\.cluster), ["a", "b"])
        XCTAssertEqual(closed.first?.waterLevel ?? 0, 0.3, accuracy: 1e-9)
        XCTAssertEqual(closed.last?.waterLevel, 0.5)
        XCTAssertEqual(closed.first?.periodStart, start)
        XCTAssertEqual(sampler.add([:], at: start.addingTimeInterval(900)).map(\.waterLevel), [0.9],
                       "an interval without samples after it closes nothing of its own")
    }
}
