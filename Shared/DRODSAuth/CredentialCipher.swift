import COpenSSL
import DRODSCore
import Foundation

/// Seals member-cluster credentials for storage with AES-256-GCM (authenticated encryption)
/// through OpenSSL's EVP interface.
///
/// Every message gets a fresh random 12-byte nonce. The sealed text is
/// `v1:<base64(nonce | ciphertext | 16-byte tag)>`; the version prefix lets a later format or
/// key rotation coexist with stored blobs. Callers pass the cluster name as associated data,
/// so a blob copied to another cluster's record fails to open.
///
/// `description`, `debugDescription` and the mirror never show the key.
public struct CredentialCipher: Sendable {
    public static let keyLength = 32
    public static let nonceLength = 12
    public static let tagLength = 16
    public static let formatVersion = "v1"
    public static let keyVariable = "DRODS_CREDENTIALS_KEY"
    public static let keyFileVariable = "DRODS_CREDENTIALS_KEY_FILE"

    private let key: [UInt8]

    /// - Throws: `CipherError` with code `invalidKey` unless `key` has exactly 32 bytes.
    public init(key: [UInt8]) throws {
        guard key.count == Self.keyLength else {
            throw CipherError(.invalidKey, "the credentials key must be \(Self.keyLength) bytes, "
                              + "got \(key.count)")
        }
        self.key = key
    }

    /// Reads the key from one of these variables:
    /// - `DRODS_CREDENTIALS_KEY`: 64 hexadecimal characters (32 bytes), for example from
    ///   `openssl rand -hex 32`.
    /// - `DRODS_CREDENTIALS_KEY_FILE`: a file with either 64 hexadecimal characters
    ///   (surrounding whitespace is ignored) or exactly 32 raw bytes.
    ///
    /// Throws `ConfigurationError` naming the variable when neither or both are set, the file
    /// cannot be read, or the key has the wrong form. Messages never contain key material.
    public static func fromEnvironment(_ environment: Environment) throws -> CredentialCipher {
        let inline = environment.optionalString(keyVariable)
        let path = environment.optionalString(keyFileVariable)
        let key: [UInt8]
        switch (inline, path) {
        case (.some, .some):
            throw ConfigurationError(variable: keyVariable,
                                     message: "both \(keyVariable) and \(keyFileVariable) are set; keep one")
        case (nil, nil):
            throw ConfigurationError(
                variable: keyVariable,
                message: "no credentials key is configured; set \(keyVariable) to 64 hexadecimal "
                    + "characters (generate them with `openssl rand -hex 32`) or \(keyFileVariable)")
        case (.some(let text), nil):
            key = try hexKey(text, variable: keyVariable)
        case (nil, .some(let path)):
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw ConfigurationError(variable: keyFileVariable,
                                         message: "cannot read \(path); check that it exists and is readable")
            }
            if contents.count == keyLength {
                key = [UInt8](contents)
            } else {
                let text = String(decoding: contents, as: UTF8.self)
                key = try hexKey(text.trimmingCharacters(in: .whitespacesAndNewlines),
                                 variable: keyFileVariable)
            }
        }
        return try CredentialCipher(key: key)
    }

    // MARK: - Sealing

    /// Encrypts and authenticates `plaintext`, binding it to `associatedData`.
    ///
    /// - Returns: `v1:<base64(nonce | ciphertext | tag)>`.
    public func seal(_ plaintext: Data, associatedData: Data) throws -> String {
        guard plaintext.count < Int(Int32.max), associatedData.count < Int(Int32.max) else {
            throw CipherError(.cryptoFailure, "the plaintext or associated data is too large to seal")
        }
        OpenSSLErrors.clear()
        var nonce = [UInt8](repeating: 0, count: Self.nonceLength)
        guard RAND_bytes(&nonce, Int32(Self.nonceLength)) == 1 else {
            throw CipherError(.cryptoFailure, "could not generate a random nonce",
                              openSSLDetail: OpenSSLErrors.drain())
        }

        let context = try CipherContext()
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count + Self.tagLength)
        var tag = [UInt8](repeating: 0, count: Self.tagLength)
        var written: Int32 = 0
        var finalLength: Int32 = 0
        let succeeded = EVP_EncryptInit_ex(context.pointer, EVP_aes_256_gcm(), nil, nil, nil) == 1
            && EVP_CIPHER_CTX_ctrl(context.pointer, EVP_CTRL_GCM_SET_IVLEN, Int32(Self.nonceLength), nil) == 1
            && EVP_EncryptInit_ex(context.pointer, nil, nil, key, nonce) == 1
            && Self.withBytes(associatedData) { bytes, count in
                var ignored: Int32 = 0
                // A null output buffer makes OpenSSL treat the input as associated data.
                return count == 0 || EVP_EncryptUpdate(context.pointer, nil, &ignored, bytes, count) == 1
            }
            && Self.withBytes(plaintext) { bytes, count in
                count == 0 || EVP_EncryptUpdate(context.pointer, &ciphertext, &written, bytes, count) == 1
            }
            && ciphertext.withUnsafeMutableBufferPointer { buffer in
                EVP_EncryptFinal_ex(context.pointer, buffer.baseAddress! + Int(written), &finalLength) == 1
            }
            && EVP_CIPHER_CTX_ctrl(context.pointer, EVP_CTRL_GCM_GET_TAG, Int32(Self.tagLength), &tag) == 1
        guard succeeded else {
            throw CipherError(.cryptoFailure, "AES-256-GCM encryption failed",
                              openSSLDetail: OpenSSLErrors.drain())
        }

        let sealed = Data(nonce) + Data(ciphertext.prefix(Int(written + finalLength))) + Data(tag)
        return "\(Self.formatVersion):\(sealed.base64EncodedString())"
    }

    /// Decrypts text from `seal` after checking its tag against the key and `associatedData`.
    ///
    /// - Throws: `CipherError` with code `unsupportedVersion` for another format prefix, and
    ///   `malformed` for text that is not `v1:` and base64 of at least a nonce and a tag. The
    ///   code is `authenticationFailed` when the blob was altered, sealed with another key, or
    ///   sealed with other associated data, because AES-GCM cannot tell these apart.
    public func open(_ sealed: String, associatedData: Data) throws -> Data {
        guard let separator = sealed.firstIndex(of: ":") else {
            throw CipherError(.malformed, "sealed credentials must start with \(Self.formatVersion):")
        }
        let version = sealed[..<separator]
        guard version == Self.formatVersion else {
            throw CipherError(.unsupportedVersion,
                              "sealed credentials have format \"\(version.prefix(16))\", but only "
                              + "\(Self.formatVersion) is supported")
        }
        guard let blob = Data(base64Encoded: String(sealed[sealed.index(after: separator)...])),
              blob.count >= Self.nonceLength + Self.tagLength,
              associatedData.count < Int(Int32.max) else {
            throw CipherError(.malformed, "sealed credentials are not base64 of a nonce, "
                              + "ciphertext and tag")
        }

        let bytes = [UInt8](blob)
        let nonce = Array(bytes[0..<Self.nonceLength])
        let body = Array(bytes[Self.nonceLength..<(bytes.count - Self.tagLength)])
        var tag = Array(bytes[(bytes.count - Self.tagLength)...])

        OpenSSLErrors.clear()
        let context = try CipherContext()
        var plaintext = [UInt8](repeating: 0, count: body.count + Self.tagLength)
        var written: Int32 = 0
        var finalLength: Int32 = 0
        let prepared = EVP_DecryptInit_ex(context.pointer, EVP_aes_256_gcm(), nil, nil, nil) == 1
            && EVP_CIPHER_CTX_ctrl(context.pointer, EVP_CTRL_GCM_SET_IVLEN, Int32(Self.nonceLength), nil) == 1
            && EVP_DecryptInit_ex(context.pointer, nil, nil, key, nonce) == 1
            && Self.withBytes(associatedData) { pointer, count in
                var ignored: Int32 = 0
                return count == 0 || EVP_DecryptUpdate(context.pointer, nil, &ignored, pointer, count) == 1
            }
            && (body.isEmpty
                || EVP_DecryptUpdate(context.pointer, &plaintext, &written, body, Int32(body.count)) == 1)
            && EVP_CIPHER_CTX_ctrl(context.pointer, EVP_CTRL_GCM_SET_TAG, Int32(Self.tagLength), &tag) == 1
        guard prepared else {
            throw CipherError(.cryptoFailure, "AES-256-GCM decryption could not start",
                              openSSLDetail: OpenSSLErrors.drain())
        }
        // The tag is checked here; a mismatch leaves no plaintext to use.
        let verified = plaintext.withUnsafeMutableBufferPointer { buffer in
            EVP_DecryptFinal_ex(context.pointer, buffer.baseAddress! + Int(written), &finalLength) > 0
        }
        guard verified else {
            OpenSSLErrors.clear()
            throw CipherError(.authenticationFailed,
                              "sealed credentials failed authentication: they were altered, sealed "
                              + "with another key, or sealed for another cluster")
        }
        return Data(plaintext.prefix(Int(written + finalLength)))
    }

    // MARK: - Helpers

    private static func withBytes(_ data: Data, _ body: (UnsafePointer<UInt8>?, Int32) -> Bool) -> Bool {
        data.withUnsafeBytes { raw in
            body(raw.bindMemory(to: UInt8.self).baseAddress, Int32(raw.count))
        }
    }

    private static func hexKey(_ text: String, variable: String) throws -> [UInt8] {
        // The message gives only the length, never the characters, because they are the key.
        let message = "must be \(keyLength * 2) hexadecimal characters (\(keyLength) bytes), "
            + "got \(text.count) characters; generate a key with `openssl rand -hex 32`"
        let digits = Array(text.utf8)
        guard digits.count == keyLength * 2 else {
            throw ConfigurationError(variable: variable, message: message)
        }
        var key: [UInt8] = []
        key.reserveCapacity(keyLength)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else {
                throw ConfigurationError(variable: variable, message: message)
            }
            key.append(high << 4 | low)
        }
        return key
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return digit - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Owns one `EVP_CIPHER_CTX` and frees it when the seal or open call ends.
    private final class CipherContext {
        let pointer: OpaquePointer

        init() throws {
            guard let pointer = EVP_CIPHER_CTX_new() else {
                throw CipherError(.cryptoFailure, "could not allocate a cipher context",
                                  openSSLDetail: OpenSSLErrors.drain())
            }
            self.pointer = pointer
        }

        deinit {
            EVP_CIPHER_CTX_free(pointer)
        }
    }
}

// MARK: - Errors

extension CredentialCipher {
    /// A key that cannot be used, or sealed text that cannot be opened. `message` contains no
    /// key material or plaintext and is safe to log; `openSSLDetail` contains OpenSSL's error
    /// queue when OpenSSL itself failed.
    public struct CipherError: Error, Equatable, CustomStringConvertible, Sendable {
        /// The kind of failure; a struct so that codes can be added without breaking callers.
        public struct Code: Hashable, Sendable, CustomStringConvertible {
            private enum Kind: String, Sendable {
                case invalidKey, unsupportedVersion, malformed, authenticationFailed, cryptoFailure
            }

            private let kind: Kind

            private init(_ kind: Kind) { self.kind = kind }

            /// The key does not have 32 bytes.
            public static let invalidKey = Code(.invalidKey)
            /// The sealed text has a format prefix other than `v1`.
            public static let unsupportedVersion = Code(.unsupportedVersion)
            /// The sealed text is not `v1:` and base64 of at least a nonce and a tag.
            public static let malformed = Code(.malformed)
            /// The tag does not match: altered text, another key or other associated data.
            public static let authenticationFailed = Code(.authenticationFailed)
            /// OpenSSL failed for a reason unrelated to the input.
            public static let cryptoFailure = Code(.cryptoFailure)

            public var description: String { kind.rawValue }
        }

        public let code: Code
        public let message: String
        public let openSSLDetail: String?

        init(_ code: Code, _ message: String, openSSLDetail: String? = nil) {
            self.code = code
            self.message = message
            self.openSSLDetail = openSSLDetail
        }

        public var description: String {
            guard let openSSLDetail, !openSSLDetail.isEmpty else { return message }
            return "\(message) (OpenSSL: \(openSSLDetail))"
        }
    }
}

// MARK: - Redacted descriptions

extension CredentialCipher: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "CredentialCipher(AES-256-GCM, key: <redacted>)" }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["key": "<redacted>"])
    }
}
