import DRODSCore
import DRODSYAML
import Foundation

/// A kubeconfig with one cluster, user and context per simulated cluster, all named after the
/// cluster. Users authenticate with the cluster's bearer token, so the file is a secret.
enum Kubeconfig {
    /// Returns the kubeconfig as YAML. `serverURL` maps a cluster name to its API URL.
    static func yaml(clusters: [(name: String, token: String)], serverURL: (String) -> String,
                     certificateAuthorityPEM: String?, currentContext: String?) -> String {
        let entries = clusters.sorted { $0.name < $1.name }
        var document: [String: JSONValue] = [
            "apiVersion": .string("v1"),
            "kind": .string("Config"),
            "preferences": .object([:]),
            "clusters": .array(entries.map { entry in
                var cluster: [String: JSONValue] = ["server": .string(serverURL(entry.name))]
                if let certificateAuthorityPEM {
                    cluster["certificate-authority-data"] = .string(Data(certificateAuthorityPEM.utf8).base64EncodedString())
                }
                return .object(["name": .string(entry.name), "cluster": .object(cluster)])
            }),
            "users": .array(entries.map { entry in
                .object(["name": .string(entry.name), "user": .object(["token": .string(entry.token)])])
            }),
            "contexts": .array(entries.map { entry in
                .object(["name": .string(entry.name),
                         "context": .object(["cluster": .string(entry.name), "user": .string(entry.name),
                                             "namespace": .string("default")])])
            }),
        ]
        if let currentContext { document["current-context"] = .string(currentContext) }
        return YAMLEncoder.encode(.object(document))
    }
}

/// Files the simulator writes for other programs: kubeconfig, port and admin token.
public enum MemberSimFiles {

    /// Writes `text` to `path` with mode 0600, replacing any file there, because the files may hold tokens.
    /// The text goes to a temporary file that is then renamed, so readers never see half a file.
    public static func writePrivate(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp").path
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary])
        }
        guard rename(temporary, url.path) == 0 else {
            let code = errno
            unlink(temporary)
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        }
    }
}
