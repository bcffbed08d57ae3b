import DRODSCore
@testable import DRODSMessaging
import XCTest

final class KafkaConfigurationTests: XCTestCase {
    func testEnvironmentDefaults() throws {
        let config = try KafkaConfiguration.fromEnvironment(Environment([:]), clientID: "drods-test")

        XCTAssertEqual(config.brokers, "127.0.0.1:9092")
        XCTAssertEqual(config.clientID, "drods-test")
        XCTAssertEqual(config.partitions, 6)
        XCTAssertEqual(config.replicationFactor, 1)
        XCTAssertEqual(config.options, [:])
    }

    func testEnvironmentValuesAreRead() throws {
        let config = try KafkaConfiguration.fromEnvironment(Environment([
            "DRODS_KAFKA_BROKERS": "kafka-1:9092,kafka-2:9092",
            "DRODS_KAFKA_PARTITIONS": "12",
            "DRODS_KAFKA_REPLICATION_FACTOR": "3",
            "DRODS_KAFKA_OPTIONS": "security.protocol=ssl, linger.ms=5",
        ]), clientID: "drods-test")

        XCTAssertEqual(config.brokers, "kafka-1:9092,kafka-2:9092")
        XCTAssertEqual(config.partitions, 12)
        XCTAssertEqual(config.replicationFactor, 3)
        XCTAssertEqual(config.options, ["security.protocol": "ssl", "linger.ms": "5"])
    }

    func testEnvironmentRejectsOutOfRangeValues() {
        let cases: [(String, String)] = [
            ("DRODS_KAFKA_PARTITIONS", "0"),
            ("DRODS_KAFKA_PARTITIONS", "1001"),
            ("DRODS_KAFKA_REPLICATION_FACTOR", "11"),
            ("DRODS_KAFKA_REPLICATION_FACTOR", "three"),
            ("DRODS_KAFKA_OPTIONS", "linger.ms"),
        ]
        for (variable, value) in cases {
            XCTAssertThrowsError(
                try KafkaConfiguration.fromEnvironment(Environment([variable: value]), clientID: "t"),
                "\(variable)=\(value)"
            ) { error in
                XCTAssertEqual((error as? ConfigurationError)?.variable, variable)
            }
        }
    }

    func testRejectedOptionNamesKeyAndValue() {
        let config = KafkaConfiguration(brokers: "127.0.0.1:9", clientID: "t",
                                        options: ["linger.ms": "soon"])

        XCTAssertThrowsError(try RDKafkaConfig(config, settings: [])) { error in
            let kafkaError = error as? KafkaError
            XCTAssertEqual(kafkaError?.code, .configuration)
            XCTAssertTrue(kafkaError?.message.contains("linger.ms") ?? false)
            XCTAssertTrue(kafkaError?.message.contains("soon") ?? false)
        }
    }

    func testRejectedSecretOptionHidesValue() {
        // `sasl.password` is unknown to a librdkafka built without SASL only in name, so use a
        // key that every build rejects and that contains "secret".
        let config = KafkaConfiguration(brokers: "127.0.0.1:9", clientID: "t",
                                        options: ["my.secret.setting": "hunter2"])

        XCTAssertThrowsError(try RDKafkaConfig(config, settings: [])) { error in
            let message = (error as? KafkaError)?.message ?? ""
            XCTAssertTrue(message.contains("my.secret.setting"), message)
            XCTAssertFalse(message.contains("hunter2"), message)
        }
    }

    func testClientCreationFailureIsReported() {
        // A transactional id needs idempotence, and librdkafka checks such combinations only
        // when the client is created, after every key was accepted.
        let config = KafkaConfiguration(brokers: "127.0.0.1:9", clientID: "t",
                                        options: ["transactional.id": "x", "enable.idempotence": "false"])

        XCTAssertThrowsError(try KafkaProducer(configuration: config, logger: testLogger)) { error in
            XCTAssertEqual((error as? KafkaError)?.code, .clientCreation)
        }
    }
}
