import DRODSCore
import Foundation

/// The secrets the controller uses to authenticate to a member cluster's API server. They
/// are accepted on input only: the caller seals them (see `CredentialCipher` in DRODSAuth) and stores the sealed text in
/// `Cluster.encryptedCredentials`. `description` and the mirror hide the secrets.
public struct ClusterCredentials: Equatable, Codable, Sendable, CustomStringConvertible,
    CustomDebugStringConvertible, CustomReflectable
{
    /// Bearer token for the member cluster's API server.
    public var token: String
    /// Base64 of the PEM CA bundle that signs the API server's certificate; nil to use the
    /// system trust store.
    public var caData: String?

    public init(token: String, caData: String? = nil) {
        self.token = token
        self.caData = caData
    }

    /// Encodes the credentials as canonical JSON, the bytes to seal.
    public func sealingPayload() throws -> Data {
        try WireJSON.encode(self)
    }

    /// Decodes the bytes that `sealingPayload()` produced, after unsealing.
    public static func fromSealingPayload(_ data: Data) throws -> ClusterCredentials {
        try WireJSON.decode(ClusterCredentials.self, from: data)
    }

    public var description: String {
        "ClusterCredentials(token: <redacted>, caData: \(caData == nil ? "none" : "<set>"))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["token": "<redacted>", "caData": caData == nil ? "nil" : "<set>"])
    }

    // MARK: - Validation

    static func read(_ field: JSONField) -> ClusterCredentials? {
        guard let reader = field.object() else { return nil }
        reader.rejectUnknownFields(allowed: ["token", "caData"])

        // The token is not echoed in messages because error bodies reach logs.
        var token: String?
        if let tokenField = reader.required("token"), let text = tokenField.string(maxLength: 16384) {
            if text.contains(where: { $0.isWhitespace || $0.isNewline }) {
                tokenField.reject("must not contain whitespace")
            } else {
                token = text
            }
        }
        var caData: String?
        if let caField = reader.optional("caData"), let text = caField.string() {
            if isBase64PEMCertificate(text) {
                caData = text
            } else {
                caField.reject("must be base64 of a PEM certificate bundle "
                               + "(text starting with -----BEGIN CERTIFICATE-----)")
            }
        }

        guard let token else { return nil }
        return ClusterCredentials(token: token, caData: caData)
    }

    private static func isBase64PEMCertificate(_ text: String) -> Bool {
        guard let decoded = Data(base64Encoded: text, options: .ignoreUnknownCharacters),
              let pem = String(data: decoded, encoding: .utf8) else { return false }
        return pem.contains("-----BEGIN CERTIFICATE-----") && pem.contains("-----END CERTIFICATE-----")
    }
}
