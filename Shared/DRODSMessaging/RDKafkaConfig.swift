import CRDKafka
import DRODSCore

/// Owns an `rd_kafka_conf_t` until `rd_kafka_new` takes it over. Every typed setting reaches
/// librdkafka through this type, so the rules for error messages live in one place.
final class RDKafkaConfig {
    /// Nil once `rd_kafka_new` has taken ownership.
    private var pointer: OpaquePointer?

    init() {
        pointer = rd_kafka_conf_new()
    }

    /// Builds a configuration from the client's own settings followed by the raw `options` of
    /// `configuration`, which therefore win over the client's settings.
    convenience init(_ configuration: KafkaConfiguration, settings: [(String, String)]) throws {
        self.init()
        for (key, value) in configuration.baseProperties + settings {
            try set(key, value)
        }
        for key in configuration.options.keys.sorted() {
            try set(key, configuration.options[key]!)
        }
    }

    deinit {
        // Still ours when `rd_kafka_new` was never called or failed.
        if let pointer { rd_kafka_conf_destroy(pointer) }
    }

    /// Sets one property.
    /// - Throws: `KafkaError` with code `.configuration` naming the key. The value and
    ///   librdkafka's explanation (which quotes the value) are left out for secret keys.
    func set(_ key: String, _ value: String) throws {
        guard let pointer else { preconditionFailure("configuration already handed to rd_kafka_new") }
        var reason = [CChar](repeating: 0, count: 512)
        let result = rd_kafka_conf_set(pointer, key, value, &reason, reason.count)
        guard result != RD_KAFKA_CONF_OK else { return }

        let message: String
        if Self.isSecret(key) {
            message = "invalid Kafka setting \(key) (value not shown because the key contains a secret)"
        } else {
            message = "invalid Kafka setting \(key)=\(value): \(String(nulTerminated: reason))"
        }
        throw KafkaError(code: .configuration, message: message)
    }

    /// True for keys whose values must never appear in messages or logs: passwords, secrets,
    /// private keys and SASL credentials.
    static func isSecret(_ key: String) -> Bool {
        let lowered = key.lowercased()
        return ["password", "secret", "key.pem", "jaas", "oauthbearer.config"]
            .contains { lowered.contains($0) }
    }

    /// Calls `body` with the configuration pointer, for callback and opaque setters.
    func withPointer<T>(_ body: (OpaquePointer) throws -> T) rethrows -> T {
        guard let pointer else { preconditionFailure("configuration already handed to rd_kafka_new") }
        return try body(pointer)
    }

    /// Records that `rd_kafka_new` succeeded and now owns the configuration, so it must not be
    /// destroyed here.
    func markTransferred() {
        pointer = nil
    }
}

extension String {
    /// Decodes the text in a fixed-size C buffer that librdkafka filled with an error message.
    init(nulTerminated buffer: [CChar]) {
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        self.init(decoding: bytes, as: UTF8.self)
    }
}
