import DRODSCore
import Foundation

/// A registered member cluster (a "domain"): where its API server is, what it offers, and its
/// health. Registered with `POST /api/v1/clusters`.
///
/// The Codable form is the stored form and includes `encryptedCredentials`; the API output is
/// `jsonValue()`, which never includes credentials.
public struct Cluster: Equatable, Codable, Sendable {
    /// DNS-1123 label, unique among clusters.
    public var name: String
    /// Absolute https URL of the cluster's API server.
    public var endpoint: String
    /// Features the cluster offers, such as `gpu`; sorted, without repeats.
    public var capabilities: [String]
    public var provider: String?
    public var region: String?
    public var zone: String?
    public var labels: [String: String]
    public var taints: [ClusterTaint]
    /// Prices for the scheduler's cost factor; nil when the cluster was registered without.
    public var pricePerHour: ClusterPrice?
    /// Credentials sealed by the caller, opaque to this layer; nil when none were given.
    public var encryptedCredentials: String?
    public var status: ClusterStatus

    public init(name: String, endpoint: String, capabilities: [String] = [],
                provider: String? = nil, region: String? = nil, zone: String? = nil,
                labels: [String: String] = [:], taints: [ClusterTaint] = [], pricePerHour: ClusterPrice? = nil,
                encryptedCredentials: String? = nil, status: ClusterStatus = ClusterStatus()) {
        self.name = name
        self.endpoint = endpoint
        self.capabilities = capabilities
        self.provider = provider
        self.region = region
        self.zone = zone
        self.labels = labels
        self.taints = taints
        self.pricePerHour = pricePerHour
        self.encryptedCredentials = encryptedCredentials
        self.status = status
    }

    static let inputFields = [
        "name", "endpoint", "capabilities", "provider", "region", "zone", "labels", "taints",
        "pricePerHour", "credentials",
    ]

    /// Validates a registration body. Credentials in the input are checked and dropped; use
    /// `validateRegistration(_:)` to receive them. A `status` in the input is ignored and the
    /// new cluster is `Pending`.
    public static func validate(_ input: JSONValue) throws -> Cluster {
        try validateRegistration(input).cluster
    }

    /// Validates a registration body and returns the credentials separately, for the caller to
    /// seal into `encryptedCredentials`.
    public static func validateRegistration(_ input: JSONValue) throws -> ClusterRegistration {
        let collector = ErrorCollector()
        guard let reader = ObjectReader.document(input, collector: collector) else {
            throw collector.failure()
        }
        reader.rejectUnknownFields(allowed: inputFields, ignored: ["status"])

        let name = reader.required("name")?.dnsLabel()
        let endpoint = reader.required("endpoint").flatMap(readEndpoint)
        let capabilities = reader.optional("capabilities").flatMap(readCapabilities) ?? []
        let provider = reader.optional("provider")?.dnsLabel()
        let region = reader.optional("region")?.dnsLabel()
        let zone = reader.optional("zone")?.dnsLabel()
        let labels = reader.optional("labels")?.labels() ?? [:]
        let taints = reader.optional("taints").flatMap(ClusterTaint.readList) ?? []
        let price = reader.optional("pricePerHour").flatMap(ClusterPrice.read)
        let credentials = reader.optional("credentials").flatMap(ClusterCredentials.read)

        guard collector.isEmpty, let name, let endpoint else { throw collector.failure() }
        let cluster = Cluster(name: name, endpoint: endpoint, capabilities: capabilities,
                              provider: provider, region: region, zone: zone, labels: labels,
                              taints: taints, pricePerHour: price)
        return ClusterRegistration(cluster: cluster, credentials: credentials)
    }

    /// Returns the API representation: every field except credentials, plus `hasCredentials`.
    public func jsonValue() -> JSONValue {
        var members: [String: JSONValue] = [
            "name": .string(name),
            "endpoint": .string(endpoint),
            "capabilities": .array(capabilities.map(JSONValue.string)),
            "labels": .object(labels.mapValues(JSONValue.string)),
            "taints": .array(taints.map { $0.jsonValue() }),
            "hasCredentials": .bool(encryptedCredentials != nil),
            "status": status.jsonValue(),
        ]
        if let provider { members["provider"] = .string(provider) }
        if let region { members["region"] = .string(region) }
        if let zone { members["zone"] = .string(zone) }
        if let pricePerHour { members["pricePerHour"] = pricePerHour.jsonValue() }
        return .object(members)
    }

    // MARK: - Field rules shared with ClusterPatch

    static func readEndpoint(_ field: JSONField) -> String? {
        guard let text = field.string(maxLength: 2048) else { return nil }
        guard let components = URLComponents(string: text),
              components.scheme?.lowercased() == "https",
              let host = components.host, !host.isEmpty else {
            field.reject("must be an absolute https URL with a host, such as https://k8s.example.com:6443")
            return nil
        }
        guard components.user == nil, components.password == nil else {
            field.reject("must not contain a user name or password; send them in credentials")
            return nil
        }
        guard components.query == nil, components.fragment == nil else {
            field.reject("must not contain a query or fragment")
            return nil
        }
        return text
    }

    /// Capabilities are lowercase tokens `[a-z0-9][a-z0-9.-]*` of at most 63 characters.
    static func readCapabilities(_ field: JSONField) -> [String]? {
        let capabilities = field.uniqueArray { entry -> String? in
            guard let text = entry.string(maxLength: 63) else { return nil }
            guard isCapability(text) else {
                entry.reject("must be a capability token: lowercase letters, digits, '.' and '-', "
                             + "starting with a letter or digit")
                return nil
            }
            return text
        }
        return capabilities?.sorted()
    }

    private static func isCapability(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        func isLowercaseAlphanumeric(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        guard let first = bytes.first, isLowercaseAlphanumeric(first) else { return false }
        return bytes.allSatisfy {
            isLowercaseAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-")
        }
    }
}
