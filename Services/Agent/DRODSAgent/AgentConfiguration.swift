import DRODSCore
import Foundation

/// Settings of one agent, read from `DRODS_AGENT_*` variables. An agent serves exactly one
/// member cluster: it reads that cluster's Kubernetes API and reports to the gateway with a
/// token scoped to the cluster.
public struct AgentConfiguration: Sendable {
    /// The member cluster's name as registered with DRO-DS.
    public var cluster: String
    /// Base URL of the cluster's Kubernetes API, such as `https://10.0.0.1:6443`.
    public var kubernetesURL: String
    /// Bearer token for the Kubernetes API; never logged.
    public var kubernetesToken: String
    /// Base URL of the DRO-DS gateway.
    public var gatewayURL: String
    /// Agent JWT for the gateway, scoped to `cluster`; never logged.
    public var gatewayToken: String
    /// Seconds between two reports.
    public var interval: Double
    /// Seconds one HTTP call may take.
    public var requestTimeout: Double
    public var logLevel: LogLevel

    public init(cluster: String, kubernetesURL: String, kubernetesToken: String, gatewayURL: String,
                gatewayToken: String, interval: Double = 10, requestTimeout: Double = 10,
                logLevel: LogLevel = .info) {
        self.cluster = cluster
        self.kubernetesURL = kubernetesURL
        self.kubernetesToken = kubernetesToken
        self.gatewayURL = gatewayURL
        self.gatewayToken = gatewayToken
        self.interval = interval
        self.requestTimeout = requestTimeout
        self.logLevel = logLevel
    }

    /// Reads the settings. The Kubernetes API comes from `DRODS_AGENT_K8S_URL` and
    /// `DRODS_AGENT_K8S_TOKEN` (or `_FILE`); a kubeconfig file (`DRODS_AGENT_KUBECONFIG`,
    /// context `DRODS_AGENT_CONTEXT`, by default the cluster name) supplies whichever is unset.
    /// - Throws: `ConfigurationError` naming the variable that is missing or invalid.
    public static func fromEnvironment(_ env: Environment) throws -> AgentConfiguration {
        guard let cluster = env.optionalString("DRODS_AGENT_CLUSTER"), !cluster.isEmpty else {
            throw ConfigurationError(variable: "DRODS_AGENT_CLUSTER", message: "is required: the member cluster's name")
        }
        guard let gatewayURL = env.optionalString("DRODS_AGENT_GATEWAY_URL"), !gatewayURL.isEmpty else {
            throw ConfigurationError(variable: "DRODS_AGENT_GATEWAY_URL", message: "is required, such as http://127.0.0.1:8080")
        }
        let gatewayToken = try secret(env, "DRODS_AGENT_TOKEN", required: true)!

        var kubernetesURL = env.optionalString("DRODS_AGENT_K8S_URL")
        var kubernetesToken = try secret(env, "DRODS_AGENT_K8S_TOKEN", required: false)
        // The kubeconfig fills in what the variables leave out: the server, the token or both.
        if let path = env.optionalString("DRODS_AGENT_KUBECONFIG"), kubernetesURL == nil || kubernetesToken == nil {
            let context = env.string("DRODS_AGENT_CONTEXT", default: cluster)
            let entry: Kubeconfig.Entry
            do {
                entry = try Kubeconfig.load(path: path).entry(context: context)
            } catch {
                throw ConfigurationError(variable: "DRODS_AGENT_KUBECONFIG", message: "\(error)")
            }
            kubernetesURL = kubernetesURL ?? entry.server
            kubernetesToken = kubernetesToken ?? entry.token
        }
        guard let kubernetesURL, !kubernetesURL.isEmpty else {
            throw ConfigurationError(variable: "DRODS_AGENT_K8S_URL",
                                     message: "is required unless DRODS_AGENT_KUBECONFIG names the cluster")
        }
        guard let kubernetesToken else {
            throw ConfigurationError(variable: "DRODS_AGENT_K8S_TOKEN",
                                     message: "is required unless the kubeconfig user has a token")
        }
        return AgentConfiguration(
            cluster: cluster, kubernetesURL: kubernetesURL, kubernetesToken: kubernetesToken,
            gatewayURL: gatewayURL, gatewayToken: gatewayToken,
            interval: try env.double("DRODS_AGENT_INTERVAL_S", default: 10, range: 0.2...3600),
            requestTimeout: try env.double("DRODS_AGENT_REQUEST_TIMEOUT_S", default: 10, range: 0.5...300),
            logLevel: try env.logLevel("DRODS_LOG_LEVEL", default: .info))
    }

    /// Reads `NAME`, or the first line of the file `NAME_FILE`.
    private static func secret(_ env: Environment, _ name: String, required: Bool) throws -> String? {
        if let value = env.optionalString(name), !value.isEmpty { return value }
        if let path = env.optionalString(name + "_FILE") {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ConfigurationError(variable: name + "_FILE", message: "cannot be read: \(path)")
            }
            let value = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            guard !value.isEmpty else { throw ConfigurationError(variable: name + "_FILE", message: "is empty: \(path)") }
            return value
        }
        if required {
            throw ConfigurationError(variable: name, message: "is required (or \(name)_FILE)")
        }
        return nil
    }
}
