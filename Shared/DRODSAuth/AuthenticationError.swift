/// A token that was missing or failed verification. `message` is written for API clients. It
/// states the failed check without echoing the token or revealing which key was tried.
public struct AuthenticationError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The reason verification failed. A struct over a private enum, so that codes can be added
    /// without breaking callers that compare against them.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String {
            case missingToken, malformed, badSignature, expired, notYetValid, wrongIssuer
            case wrongAudience, unsupportedAlgorithm, invalidRole, missingClaim
        }

        private let value: Value

        private init(_ value: Value) { self.value = value }

        /// No bearer token in the request.
        public static let missingToken = Code(.missingToken)
        /// Not three base64url parts, or a part is not the expected JSON.
        public static let malformed = Code(.malformed)
        /// The signature does not match the header and payload.
        public static let badSignature = Code(.badSignature)
        /// The current time is at or after `exp` plus the leeway.
        public static let expired = Code(.expired)
        /// The current time is before `nbf` (or `iat`) minus the leeway.
        public static let notYetValid = Code(.notYetValid)
        public static let wrongIssuer = Code(.wrongIssuer)
        public static let wrongAudience = Code(.wrongAudience)
        /// `alg` is `none` or an algorithm this verifier has no key for.
        public static let unsupportedAlgorithm = Code(.unsupportedAlgorithm)
        /// `role` is missing or not one of admin, operator, viewer, agent.
        public static let invalidRole = Code(.invalidRole)
        /// A required claim is missing: `sub`, `exp`, or `cluster` in an agent token.
        public static let missingClaim = Code(.missingClaim)

        public var description: String { value.rawValue }
    }

    public let code: Code
    public let message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "authentication failed (\(code)): \(message)" }
}
