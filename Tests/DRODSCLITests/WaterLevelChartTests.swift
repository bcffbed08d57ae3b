@testable import DRODSCLI
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

final class WaterLevelChartTests: XCTestCase {
    func testChartIsWellFormedXMLWithOnePolylinePerDomain() throws {
        let chart = WaterLevelChart(series: [
            ("us-east-1-a10", [(0, 0.1), (5, 0.4), (10, 0.3)]),
            ("eu-west-1-<t4>", [(0, 0.2), (10, 1.4)]),
        ], faultTime: 5)
        let svg = chart.svg()
        let document = try XMLDocument(xmlString: svg)
        let root = try XCTUnwrap(document.rootElement())
        XCTAssertEqual(root.name, "svg")
        XCTAssertEqual(try root.nodes(forXPath: "//*[local-name()='polyline']").count, 2)
        XCTAssertTrue(svg.contains("eu-west-1-&lt;t4&gt;"), "legend names are escaped")
        XCTAssertTrue(svg.contains("stroke-dasharray"), "the fault is marked")
    }

    func testLevelsAreClampedToPlot() {
        // Level 1.4 is drawn at the top (y = 40), level 0 at the bottom (y = 480 - 50).
        let svg = WaterLevelChart(series: [("a", [(0, 0), (10, 1.4)])], faultTime: nil).svg()
        XCTAssertTrue(svg.contains("points=\"60,430 700,40\""), svg)
    }

    func testTickStepIsRound() {
        XCTAssertEqual(WaterLevelChart.tickStep(for: 150), 20)
        XCTAssertEqual(WaterLevelChart.tickStep(for: 100), 10)
        XCTAssertEqual(WaterLevelChart.tickStep(for: 7), 1)
    }
}
