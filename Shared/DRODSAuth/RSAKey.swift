import COpenSSL
import Foundation

/// An RSA public or private key loaded from PEM, used for RS256 (RSASSA-PKCS1-v1_5 with
/// SHA-256) signatures through `EVP_DigestSign` and `EVP_DigestVerify`.
///
/// This class is the only owner of its `EVP_PKEY` and frees it in `deinit`. Sharing it across
/// threads (`@unchecked Sendable`) is safe because the key is never modified after loading,
/// and OpenSSL 3 allows concurrent signing and verification with one key as long as each
/// operation has its own `EVP_MD_CTX`, which every call here creates.
final class RSAKey: @unchecked Sendable {
    /// Smallest accepted modulus; shorter RSA keys are considered breakable.
    static let minimumBits: Int32 = 2048

    private let key: OpaquePointer

    /// Loads a `BEGIN PUBLIC KEY` (SubjectPublicKeyInfo) PEM block.
    static func publicKey(pem: String) throws -> RSAKey {
        try RSAKey(pem: pem, kind: "public") { bio in
            PEM_read_bio_PUBKEY(bio, nil, nil, nil)
        }
    }

    /// Loads an unencrypted `BEGIN PRIVATE KEY` or `BEGIN RSA PRIVATE KEY` PEM block.
    static func privateKey(pem: String) throws -> RSAKey {
        try RSAKey(pem: pem, kind: "private") { bio in
            // A password callback that returns 0 makes encrypted keys fail instead of letting
            // OpenSSL prompt on the terminal.
            PEM_read_bio_PrivateKey(bio, nil, { _, _, _, _ in 0 }, nil)
        }
    }

    private init(pem: String, kind: String, read: (OpaquePointer) -> OpaquePointer?) throws {
        OpenSSLErrors.clear()
        let bytes = Array(pem.utf8)
        let loaded: OpaquePointer? = bytes.withUnsafeBytes { buffer in
            // The memory BIO reads `bytes` in place, so it must be freed before they go away.
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else {
                return nil
            }
            defer { BIO_free(bio) }
            return read(bio)
        }
        guard let loaded else {
            throw CryptoError(message: "the RSA \(kind) key is not a valid unencrypted PEM \(kind) key",
                              openSSLDetail: OpenSSLErrors.drain())
        }
        guard EVP_PKEY_is_a(loaded, "RSA") == 1 else {
            EVP_PKEY_free(loaded)
            throw CryptoError(message: "the \(kind) key is not an RSA key; RS256 needs RSA")
        }
        let bits = EVP_PKEY_get_bits(loaded)
        guard bits >= Self.minimumBits else {
            EVP_PKEY_free(loaded)
            throw CryptoError(message: "the RSA \(kind) key has \(bits) bits; RS256 needs at least \(Self.minimumBits)")
        }
        key = loaded
    }

    deinit {
        EVP_PKEY_free(key)
    }

    func sign(_ message: Data) throws -> Data {
        OpenSSLErrors.clear()
        guard let context = EVP_MD_CTX_new() else {
            throw CryptoError(message: "RS256 signing failed", openSSLDetail: OpenSSLErrors.drain())
        }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, key) == 1 else {
            throw CryptoError(message: "RS256 signing failed; is this a private key?",
                              openSSLDetail: OpenSSLErrors.drain())
        }
        return try message.withUnsafeBytes { raw in
            let input = raw.bindMemory(to: UInt8.self).baseAddress
            var length = 0
            // The first call with no output buffer returns the signature length.
            guard EVP_DigestSign(context, nil, &length, input, raw.count) == 1 else {
                throw CryptoError(message: "RS256 signing failed", openSSLDetail: OpenSSLErrors.drain())
            }
            var signature = [UInt8](repeating: 0, count: length)
            guard EVP_DigestSign(context, &signature, &length, input, raw.count) == 1 else {
                throw CryptoError(message: "RS256 signing failed", openSSLDetail: OpenSSLErrors.drain())
            }
            return Data(signature.prefix(length))
        }
    }

    /// Returns whether `signature` is a valid RS256 signature of `message` under this key.
    func verify(_ signature: Data, of message: Data) -> Bool {
        OpenSSLErrors.clear()
        defer { OpenSSLErrors.clear() }
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, EVP_sha256(), nil, key) == 1 else { return false }
        return signature.withUnsafeBytes { signatureBytes in
            message.withUnsafeBytes { messageBytes in
                EVP_DigestVerify(context,
                                 signatureBytes.bindMemory(to: UInt8.self).baseAddress,
                                 signatureBytes.count,
                                 messageBytes.bindMemory(to: UInt8.self).baseAddress,
                                 messageBytes.count) == 1
            }
        }
    }
}
