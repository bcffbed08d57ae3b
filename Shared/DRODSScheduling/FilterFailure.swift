/// Why a filter rejected a domain: a stable code for machines, a short reason that groups
/// domains in a summary, and a detail with the numbers.
public struct FilterFailure: Equatable, Hashable, Sendable {
    /// A reason code; a struct over a string so plugins can add codes.
    public struct Code: RawRepresentable, Equatable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let unhealthy = Code(rawValue: "Unhealthy")
        public static let missingCapability = Code(rawValue: "MissingCapability")
        public static let affinityMismatch = Code(rawValue: "AffinityMismatch")
        public static let untoleratedTaint = Code(rawValue: "UntoleratedTaint")
        public static let gpuModelUnavailable = Code(rawValue: "GPUModelUnavailable")
        public static let insufficientResources = Code(rawValue: "InsufficientResources")
        public static let noNodeFits = Code(rawValue: "NoNodeFits")
        public static let waterLevelExceeded = Code(rawValue: "WaterLevelExceeded")
    }

    public var code: Code
    /// Short text shared by every domain that failed the same way, such as "insufficient gpu".
    public var reason: String
    /// Text for this domain, such as "needs 12000m cpu on one node, the largest free node has 8000m".
    public var detail: String

    public init(code: Code, reason: String, detail: String) {
        self.code = code
        self.reason = reason
        self.detail = detail
    }
}
