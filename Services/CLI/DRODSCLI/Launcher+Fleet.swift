import DRODSAgent
import DRODSAuth
import DRODSCore
import DRODSHTTP
import DRODSYAML
import Foundation

extension Launcher {
    /// Starts the member-cluster simulator with the chosen fleet, registers its clusters
    /// through the gateway and starts one agent per cluster. The simulator's kubeconfig is
    /// written as `members.kubeconfig` in the data folder, for kubectl.
    func startFleet(environment: [String: String]) throws {
        let data = try dataDirectory()
        let fleetFile: URL
        switch options.fleet {
        case .none:
            return
        case .file(let url):
            fleetFile = url
        case .realData:
            fleetFile = data.appendingPathComponent("fleet.yaml")
            try MemberFleetFile.realData().write(to: fleetFile, atomically: true, encoding: .utf8)
        }
        let clusters = try Self.fleetClusters(fleetFile)
        let binaries = Self.executableDirectory()
        let base = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("DRODS_") }
        let kubeconfig = data.appendingPathComponent("members.kubeconfig")
        let portFile = data.appendingPathComponent("membersim.port")
        try? FileManager.default.removeItem(at: portFile)

        let simulator = try ServiceProcess(
            name: "membersim", executable: binaries.appendingPathComponent("drods-membersim"),
            arguments: ["--fleet", fleetFile.path, "--kubeconfig", kubeconfig.path,
                        "--admin-token-file", data.appendingPathComponent("membersim.admin").path,
                        "--port-file", portFile.path],
            environment: base, logFile: data.appendingPathComponent("logs/membersim.log"))
        try simulator.start()
        fleetChildren.append(simulator)
        let ports = try waitForPorts(portFile, of: simulator)
        let tokens = try Kubeconfig.load(path: kubeconfig.path)

        let secret = try SecretFile.read(URL(fileURLWithPath: environment["DRODS_JWT_SECRET_FILE"]!))
        let signer = TokenSigner(hs256Secret: secret)
        let admin = try signer.sign(role: .admin, subject: "drods-up-fleet", lifetime: 3600)
        let gateway = "http://127.0.0.1:\(options.gatewayPort)"
        let client = HTTPClient(defaultTimeout: 30)
        let agents = data.appendingPathComponent("agents")
        try FileManager.default.createDirectory(at: agents, withIntermediateDirectories: true)

        for cluster in clusters {
            try register(cluster, tlsPort: ports.tls, gateway: gateway, token: admin, client: client)
            let kubernetesToken = try tokens.entry(context: cluster.name).token ?? ""
            let agentTokenFile = agents.appendingPathComponent("\(cluster.name).token")
            let kubernetesTokenFile = agents.appendingPathComponent("\(cluster.name).k8s-token")
            try SecretFile.write(try signer.sign(role: .agent, subject: "agent-\(cluster.name)", cluster: cluster.name,
                                                 lifetime: 30 * 24 * 3600) + "\n", to: agentTokenFile)
            try SecretFile.write(kubernetesToken + "\n", to: kubernetesTokenFile)
            var variables = base
            variables["DRODS_AGENT_CLUSTER"] = cluster.name
            variables["DRODS_AGENT_GATEWAY_URL"] = gateway
            variables["DRODS_AGENT_TOKEN_FILE"] = agentTokenFile.path
            // The plain listener: the agent sends its token itself, and needs no certificate.
            variables["DRODS_AGENT_K8S_URL"] = "http://127.0.0.1:\(ports.http)/clusters/\(cluster.name)"
            variables["DRODS_AGENT_K8S_TOKEN_FILE"] = kubernetesTokenFile.path
            variables["DRODS_AGENT_INTERVAL_S"] = "5"
            variables["DRODS_LOG_LEVEL"] = options.logLevel
            let agent = try ServiceProcess(
                name: "agent-\(cluster.name)", executable: binaries.appendingPathComponent("drods-agent"),
                environment: variables, logFile: data.appendingPathComponent("logs/agent-\(cluster.name).log"))
            try agent.start()
            fleetChildren.append(agent)
        }
        logger.info("simulated fleet started", ["clusters": String(clusters.count), "kubeconfig": kubeconfig.path])

        var summary = "\n\(clusters.count) simulated member clusters, each with an agent:\n"
        for cluster in clusters {
            summary += "  \(cluster.name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(cluster.region)"
                + "  \(cluster.nodes) nodes\n"
        }
        summary += "kubectl works against them:\n"
        summary += "  kubectl --kubeconfig \(kubeconfig.path) --context \(clusters.first?.name ?? "NAME") get nodes\n"
        fleetSummary = summary
    }

    struct FleetCluster {
        var name: String
        var provider: String
        var region: String
        var zone: String
        var hasGPUs: Bool
        var nodes: Int
        /// The fleet file's `pricePerHour`, passed on as the registration's own.
        var pricePerHour: JSONValue?
    }

    /// Reads the clusters of a simulator fleet file, for registering them.
    static func fleetClusters(_ file: URL) throws -> [FleetCluster] {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw LauncherError("cannot read the fleet file \(file.path)")
        }
        guard let document = try YAMLDecoder.parse(text).first,
              case .array(let entries) = document["clusters"] ?? .null, !entries.isEmpty else {
            throw LauncherError("the fleet file \(file.path) lists no clusters")
        }
        return entries.map { entry in
            var pools: [JSONValue] = []
            if case .array(let list) = entry["nodePools"] ?? .null { pools = list }
            return FleetCluster(name: entry["name"]?.stringValue ?? "", provider: entry["provider"]?.stringValue ?? "",
                                region: entry["region"]?.stringValue ?? "", zone: entry["zone"]?.stringValue ?? "",
                                hasGPUs: pools.contains { $0["gpuCount"] != nil },
                                nodes: pools.reduce(0) { $0 + Int($1["count"]?.doubleValue ?? 0) },
                                pricePerHour: entry["pricePerHour"])
        }
    }

    private func waitForPorts(_ file: URL, of simulator: ServiceProcess) throws -> (http: Int, tls: Int) {
        let deadline = Date(timeIntervalSinceNow: 60)
        while Date() < deadline {
            if let text = try? String(contentsOf: file, encoding: .utf8) {
                let ports = text.split(whereSeparator: { $0 == " " || $0.isNewline }).compactMap { Int($0) }
                if ports.count == 2 { return (ports[0], ports[1]) }
            }
            guard simulator.isRunning else {
                FileHandle.standardError.write(Data((simulator.logTail() + "\n").utf8))
                throw LauncherError("the member-cluster simulator exited at start; see \(simulator.logFile.path)")
            }
            if stop.wait(seconds: 0.1) { throw LauncherError("interrupted while starting the simulator") }
        }
        throw LauncherError("the member-cluster simulator wrote no ports within 60 s; see \(simulator.logFile.path)")
    }

    private func register(_ cluster: FleetCluster, tlsPort: Int, gateway: String, token: String,
                          client: HTTPClient) throws {
        var body: [String: JSONValue] = [
            "name": .string(cluster.name), "endpoint": .string("https://127.0.0.1:\(tlsPort)/clusters/\(cluster.name)"),
            "capabilities": .array(cluster.hasGPUs ? [.string("gpu")] : []),
            "labels": .object(["drods.io/simulated": .string("true")]),
        ]
        if !cluster.provider.isEmpty { body["provider"] = .string(cluster.provider) }
        if !cluster.region.isEmpty { body["region"] = .string(cluster.region) }
        if !cluster.zone.isEmpty { body["zone"] = .string(cluster.zone) }
        if let price = cluster.pricePerHour { body["pricePerHour"] = price }
        let response = try client.request(
            method: "POST", url: gateway + "/api/v1/clusters",
            headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"],
            body: try WireJSON.encode(JSONValue.object(body)))
        // 409: registered by an earlier run with the same data folder.
        guard response.status == 201 || response.status == 409 else {
            let detail = String(decoding: response.body, as: UTF8.self)
            throw LauncherError("registering cluster \(cluster.name) failed with HTTP \(response.status): \(detail)")
        }
    }
}
