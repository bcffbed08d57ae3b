import DRODSCore

/// The metric names of the messaging layer, written to an optional registry so that callers
/// without metrics pass nothing. Every counter is labelled by topic.
struct MessagingMetrics: Sendable {
    let registry: MetricsRegistry?

    func produced(topic: String) {
        registry?.increment("drods_kafka_produced_total",
                            help: "Messages handed to the Kafka producer.",
                            labels: ["topic": topic])
    }

    func delivered(topic: String) {
        registry?.increment("drods_kafka_delivered_total",
                            help: "Messages the brokers confirmed.",
                            labels: ["topic": topic])
    }

    func deliveryFailed(topic: String) {
        registry?.increment("drods_kafka_delivery_failed_total",
                            help: "Messages that could not be enqueued or delivered.",
                            labels: ["topic": topic])
    }

    func consumed(topic: String) {
        registry?.increment("drods_kafka_consumed_total",
                            help: "Messages read by consumers.",
                            labels: ["topic": topic])
    }

    func handled(topic: String) {
        registry?.increment("drods_kafka_handled_total",
                            help: "Messages whose handler returned, so their offset was stored.",
                            labels: ["topic": topic])
    }

    func handlerRetried(topic: String) {
        registry?.increment("drods_kafka_handler_retries_total",
                            help: "Handler calls repeated after a retriable error.",
                            labels: ["topic": topic])
    }

    func deadLettered(topic: String) {
        registry?.increment("drods_kafka_dead_lettered_total",
                            help: "Undecodable messages published to the dead-letter topic.",
                            labels: ["topic": topic])
    }

    func replyLatency(topic: String, seconds: Double) {
        registry?.observe("drods_command_reply_seconds",
                          help: "Time from sending a command to receiving its reply.",
                          labels: ["topic": topic], value: seconds)
    }

    func commandTimedOut(topic: String) {
        registry?.increment("drods_command_timeouts_total",
                            help: "Commands that got no reply within their timeout.",
                            labels: ["topic": topic])
    }
}
