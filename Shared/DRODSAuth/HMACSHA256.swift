import COpenSSL
import Foundation

/// HMAC-SHA256 through OpenSSL's one-shot `HMAC`, for HS256 signatures.
enum HMACSHA256 {
    static let length = 32

    static func authenticate(_ message: Data, key: [UInt8]) throws -> Data {
        OpenSSLErrors.clear()
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var outputLength: UInt32 = 0
        let result = key.withUnsafeBytes { keyBytes in
            message.withUnsafeBytes { messageBytes in
                HMAC(EVP_sha256(), keyBytes.baseAddress, Int32(keyBytes.count),
                     messageBytes.bindMemory(to: UInt8.self).baseAddress, messageBytes.count,
                     &output, &outputLength)
            }
        }
        guard result != nil, Int(outputLength) == length else {
            throw CryptoError(message: "HMAC-SHA256 failed", openSSLDetail: OpenSSLErrors.drain())
        }
        return Data(output.prefix(length))
    }

    /// Compares two MACs in time that does not depend on where they differ (`CRYPTO_memcmp`).
    static func equal(_ lhs: Data, _ rhs: Data) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return lhs.withUnsafeBytes { left in
            rhs.withUnsafeBytes { right in
                CRYPTO_memcmp(left.baseAddress, right.baseAddress, left.count) == 0
            }
        }
    }
}
