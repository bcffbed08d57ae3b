import DRODSAuth
import DRODSCore
import Foundation

/// `drods token`: mints a JWT for the gateway with the key the gateway verifies with. The
/// token alone goes to standard output, so `TOKEN=$(drods token --role viewer)` works.
enum TokenCommand {
    static func run(_ words: [String]) throws -> Int32 {
        let arguments = try Arguments(words, valueOptions: ["role", "subject", "cluster", "ttl", "secret-file"])
        guard arguments.positional.isEmpty else { throw UsageError("unexpected argument \(arguments.positional[0])") }
        guard let roleName = arguments.options["role"] else {
            throw UsageError("--role is required: admin, operator, viewer or agent")
        }
        guard let role = Role(rawValue: roleName) else {
            throw UsageError("unknown role \"\(roleName)\"; use admin, operator, viewer or agent")
        }
        let cluster = arguments.options["cluster"]
        if role == .agent && cluster == nil {
            throw UsageError("an agent token needs --cluster, the one cluster it may report for")
        }
        if role != .agent && cluster != nil {
            throw UsageError("--cluster applies to agent tokens only")
        }
        let lifetime = try arguments.int("ttl", default: 3600, range: 1...(366 * 24 * 3600))

        var environment = ProcessInfo.processInfo.environment
        if let file = arguments.options["secret-file"] {
            environment["DRODS_JWT_SECRET"] = nil
            environment["DRODS_JWT_SECRET_FILE"] = file
        }
        let configuration: AuthConfiguration
        do {
            configuration = try AuthConfiguration.fromEnvironment(Environment(environment))
        } catch let error as ConfigurationError {
            throw UsageError("\(error); for a control plane started with drods up, pass "
                             + "--secret-file DIR/jwt.secret from its data folder")
        }
        let signer = try TokenSigner(configuration: configuration)
        let token = try signer.sign(role: role, subject: arguments.options["subject"] ?? roleName,
                                    cluster: cluster, lifetime: TimeInterval(lifetime))
        FileHandle.standardOutput.write(Data((token + "\n").utf8))
        return 0
    }
}
