import Foundation

/// A throwaway certificate for `127.0.0.1` and `localhost`, made at start by the `openssl`
/// command (Debian package `openssl`). kubectl sends bearer tokens only over TLS, so the
/// simulator serves HTTPS with this certificate and puts it in the kubeconfig as the trusted CA.
struct SelfSignedCertificate: Sendable {
    let certificatePEM: String
    let privateKeyPEM: String

    /// Days the certificate stays valid.
    static let validityDays = 30

    /// Runs `openssl req -x509` with a P-256 key in a private temporary directory. Throws
    /// `CertificateError` when `openssl` is missing or fails.
    static func generate() throws -> SelfSignedCertificate {
        guard let openssl = ["/usr/bin/openssl", "/usr/local/bin/openssl", "/bin/openssl"]
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw CertificateError(message: "openssl not found; install the openssl package or turn TLS off")
        }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("drods-membersim-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyPath = directory.appendingPathComponent("key.pem").path
        let certificatePath = directory.appendingPathComponent("certificate.pem").path

        let process = Process()
        process.executableURL = URL(fileURLWithPath: openssl)
        process.arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", keyPath, "-out", certificatePath, "-days", String(validityDays),
            "-subj", "/CN=drods-membersim", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ]
        let errorPipe = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errorPipe
        try process.run()
        let errorOutput = errorPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CertificateError(message: "openssl req failed with status \(process.terminationStatus): "
                                       + String(decoding: errorOutput, as: UTF8.self))
        }
        return SelfSignedCertificate(certificatePEM: try String(contentsOfFile: certificatePath, encoding: .utf8),
                                     privateKeyPEM: try String(contentsOfFile: keyPath, encoding: .utf8))
    }
}

/// The TLS certificate could not be made.
public struct CertificateError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { "cannot create the TLS certificate: \(message)" }
}
