import CRDKafka

/// Conversions between `[String: String]` and librdkafka's header lists.
enum RDKafkaHeaders {
    /// Returns a new `rd_kafka_headers_t` holding copies of `headers`. The caller owns it until
    /// a successful produce call takes it over, and destroys it otherwise.
    static func make(_ headers: [String: String]) -> OpaquePointer {
        let list = rd_kafka_headers_new(headers.count)!
        // Sorted so that the wire order does not depend on dictionary order.
        for name in headers.keys.sorted() {
            let value = Array(headers[name]!.utf8)
            // `rd_kafka_header_add` copies name and value, and -1 means the name is
            // NUL-terminated. Its only documented failure is a read-only list, which a new list
            // is not.
            _ = value.withUnsafeBytes { bytes in
                rd_kafka_header_add(list, name, -1, bytes.baseAddress, bytes.count)
            }
        }
        return list
    }

    /// Copies the headers of a consumed message. The list stays owned by the message.
    static func read(from message: UnsafeMutablePointer<rd_kafka_message_t>) -> [String: String] {
        var list: OpaquePointer?
        guard rd_kafka_message_headers(message, &list) == RD_KAFKA_RESP_ERR_NO_ERROR,
              let list else { return [:] }

        var headers: [String: String] = [:]
        var index = 0
        while true {
            var name: UnsafePointer<CChar>?
            var value: UnsafeRawPointer?
            var size = 0
            guard rd_kafka_header_get_all(list, index, &name, &value, &size)
                    == RD_KAFKA_RESP_ERR_NO_ERROR, let name else { break }
            let text = value.map {
                String(decoding: UnsafeRawBufferPointer(start: $0, count: size), as: UTF8.self)
            } ?? ""
            headers[String(cString: name)] = text
            index += 1
        }
        return headers
    }
}
