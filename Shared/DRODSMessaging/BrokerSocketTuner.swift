import DRODSCore
import Foundation

/// Sets TCP_NODELAY on the development broker's server-side sockets, as Kafka brokers do on
/// every connection they accept. librdkafka 2.0.2's mock cluster leaves Nagle's algorithm on,
/// so a response written in two parts waits for the client's delayed ACK, about 40 ms, which
/// would dominate every latency measured against the development broker.
///
/// The mock cluster accepts connections on its own thread and offers no hook. So a thread of
/// this process looks every 20 ms for sockets whose local port is a broker port and sets the
/// option, and a connection runs with Nagle on for at most that long. Only sockets bound to the
/// broker's ports are touched.
final class BrokerSocketTuner: @unchecked Sendable {
    private let ports: Set<UInt16>
    private let stop = StopSignal()
    private let finished = StopSignal()
    private var tuned: Set<Int32> = []

    init(bootstrapServers: String) {
        ports = Set(bootstrapServers.split(separator: ",").compactMap { address in
            address.split(separator: ":").last.flatMap { UInt16($0) }
        })
    }

    func start() {
        let thread = Thread { [self] in
            while !stop.wait(seconds: 0.02) { tuneSockets() }
            finished.stop()
        }
        thread.name = "dev-broker-nodelay"
        thread.start()
    }

    func close() {
        stop.stop()
        finished.wait(seconds: 1)
    }

    private func tuneSockets() {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return }
        var open: Set<Int32> = []
        for entry in entries {
            guard let descriptor = Int32(entry) else { continue }
            open.insert(descriptor)
            guard !tuned.contains(descriptor), localPort(of: descriptor).map(ports.contains) == true else { continue }
            var enabled: Int32 = 1
            if setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &enabled,
                          socklen_t(MemoryLayout<Int32>.size)) == 0 {
                tuned.insert(descriptor)
            }
        }
        // A closed descriptor number can be reused by a new connection.
        tuned.formIntersection(open)
    }

    private func localPort(of descriptor: Int32) -> UInt16? {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard result == 0, address.sin_family == sa_family_t(AF_INET) else { return nil }
        return UInt16(bigEndian: address.sin_port)
    }
}
