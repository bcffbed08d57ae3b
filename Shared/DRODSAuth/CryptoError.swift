/// A key that could not be loaded or a signature that could not be computed. `message` is safe
/// to show. `openSSLDetail` contains OpenSSL's error queue for logs, which names the failed
/// step but not the key.
public struct CryptoError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public let openSSLDetail: String?

    public init(message: String, openSSLDetail: String? = nil) {
        self.message = message
        self.openSSLDetail = openSSLDetail
    }

    public var description: String {
        guard let openSSLDetail, !openSSLDetail.isEmpty else { return message }
        return "\(message) (OpenSSL: \(openSSLDetail))"
    }
}
