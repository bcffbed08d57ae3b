import DRODSCore
@testable import DRODSMessaging
import XCTest

final class TopicAdminTests: XCTestCase {
    func testEnsureTopicsLeavesExistingTopicsAlone() throws {
        let broker = try startBroker(topics: ["alpha": 2, "beta": 5])
        defer { broker.close() }
        // The configuration requests 3 partitions; existing topics must keep theirs.
        let config = configuration(for: broker)

        let created = try TopicAdmin.ensureTopics(["alpha", "beta", "alpha"], configuration: config,
                                                  logger: testLogger, timeout: 10)

        XCTAssertEqual(created, [])
        let counts = try TopicAdmin.partitionCounts(configuration: config, logger: testLogger,
                                                    timeout: 10)
        XCTAssertEqual(counts["alpha"], 2)
        XCTAssertEqual(counts["beta"], 5)
    }

    func testDevelopmentBrokerCreatesAllControlPlaneTopics() throws {
        let broker = try DevelopmentBroker(topics: Topics.all, partitions: 4, logger: testLogger)
        defer { broker.close() }
        let config = configuration(for: broker)

        let created = try TopicAdmin.ensureTopics(Topics.all, configuration: config,
                                                  logger: testLogger, timeout: 10)

        XCTAssertEqual(created, [])
        let counts = try TopicAdmin.partitionCounts(configuration: config, logger: testLogger,
                                                    timeout: 10)
        for topic in Topics.all {
            XCTAssertEqual(counts[topic], 4, topic)
        }
    }
}
