import DRODSCore
import Foundation

/// The JWS compact serialization of a JWT: `base64url(header).base64url(payload).base64url(signature)`.
enum JWT {
    /// The JOSE header fields DRO-DS reads or writes.
    struct Header: Codable {
        var alg: String
        var typ: String?
    }

    /// A token split into its parts; nothing in it has been verified yet.
    struct Parts {
        let header: Header
        /// The bytes the signature covers: the first two parts with the dot between them.
        let signingInput: Data
        let payload: Data
        let signature: Data
    }

    /// Tokens longer than this are rejected before any decoding, as no valid DRO-DS token
    /// comes near it.
    static let maxTokenBytes = 8192

    /// Splits and decodes `token`, throwing `AuthenticationError` with code `malformed` when
    /// it is not three base64url parts or the header is not a JSON object with `alg`.
    static func parse(_ token: String) throws -> Parts {
        func malformed(_ message: String) -> AuthenticationError {
            AuthenticationError(code: .malformed, message: message)
        }
        guard token.utf8.count <= maxTokenBytes else {
            throw malformed("the token is longer than \(maxTokenBytes) bytes")
        }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw malformed("the token does not have three dot-separated parts")
        }
        guard let headerBytes = Base64URL.decode(parts[0]),
              let payload = Base64URL.decode(parts[1]),
              let signature = Base64URL.decode(parts[2]) else {
            throw malformed("a part of the token is not unpadded base64url")
        }
        guard let header = try? JSONDecoder().decode(Header.self, from: headerBytes) else {
            throw malformed("the token header is not a JSON object with an alg field")
        }
        if let typ = header.typ, typ.uppercased() != "JWT" {
            throw malformed("the token header has typ other than JWT")
        }
        let signingInput = Data("\(parts[0]).\(parts[1])".utf8)
        return Parts(header: header, signingInput: signingInput, payload: payload,
                     signature: signature)
    }

    /// Returns a signed token for `payload` (JSON bytes).
    static func encode(algorithm: JWTAlgorithm, payload: Data,
                       sign: (Data) throws -> Data) throws -> String {
        let header = try WireJSON.encode(Header(alg: algorithm.rawValue, typ: "JWT"))
        let signingInput = Base64URL.encode(header) + "." + Base64URL.encode(payload)
        let signature = try sign(Data(signingInput.utf8))
        return signingInput + "." + Base64URL.encode(signature)
    }
}
