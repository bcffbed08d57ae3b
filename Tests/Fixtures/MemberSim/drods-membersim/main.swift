import DRODSCore
import DRODSMemberSim
import Foundation

// Block SIGINT and SIGTERM before any thread starts, so every thread inherits the mask and the
// main thread can take the signal with sigwait.
var stopSignals = sigset_t()
sigemptyset(&stopSignals)
sigaddset(&stopSignals, SIGINT)
sigaddset(&stopSignals, SIGTERM)
pthread_sigmask(SIG_BLOCK, &stopSignals, nil)

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.contains("--help") || arguments.contains("-h") {
    print(MemberSimOptions.usage)
    exit(0)
}

do {
    let options = try MemberSimOptions.parse(arguments)
    let logger = Logger(service: "drods-membersim", level: options.logLevel)
    let fleet = try FleetParser.load(path: options.fleetPath)
    let simulator = try MemberSimulator(configuration: options.configuration(fleet: fleet), logger: logger)
    if let path = options.adminTokenFile {
        try MemberSimFiles.writePrivate(simulator.adminToken + "\n", to: path)
    }
    // The HTTP port, then the HTTPS port when TLS is on, separated by a space.
    let portLine = ([simulator.port] + (simulator.tlsPort.map { [$0] } ?? [])).map(String.init)
        .joined(separator: " ") + "\n"
    if let path = options.portFile {
        try MemberSimFiles.writePrivate(portLine, to: path)
    }
    // One unbuffered write, so that a parent process reading the pipe gets the ports at once.
    FileHandle.standardOutput.write(Data(portLine.utf8))

    var received: Int32 = 0
    sigwait(&stopSignals, &received)
    logger.info("stopping on signal", ["signal": String(received)])
    simulator.stop()
    exit(0)
} catch {
    FileHandle.standardError.write(Data("drods-membersim: \(error)\n".utf8))
    exit(2)
}
