import DRODSCore
import DRODSYAML
import Foundation

/// The parts of a kubeconfig file an agent needs: per context, the server URL and the user's
/// bearer token. Client certificates and exec plugins are not supported.
public struct Kubeconfig: Sendable {
    public struct Entry: Equatable, Sendable {
        public var server: String
        public var token: String?

        public init(server: String, token: String?) {
            self.server = server
            self.token = token
        }
    }

    public struct Problem: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    let document: JSONValue

    public static func load(path: String) throws -> Kubeconfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw Problem(description: "cannot read kubeconfig \(path)")
        }
        return try parse(text)
    }

    public static func parse(_ text: String) throws -> Kubeconfig {
        guard let document = try YAMLDecoder.parse(text).first else {
            throw Problem(description: "the kubeconfig is empty")
        }
        return Kubeconfig(document: document)
    }

    /// Returns the server and token of `context`.
    public func entry(context name: String) throws -> Entry {
        guard let context = named(name, in: "contexts")?["context"] else {
            throw Problem(description: "the kubeconfig has no context \(name)")
        }
        guard let clusterName = context["cluster"]?.stringValue,
              let server = named(clusterName, in: "clusters")?["cluster"]?["server"]?.stringValue else {
            throw Problem(description: "context \(name) names no cluster with a server")
        }
        let token = context["user"]?.stringValue.flatMap { named($0, in: "users")?["user"]?["token"]?.stringValue }
        return Entry(server: server, token: token)
    }

    private func named(_ name: String, in list: String) -> JSONValue? {
        guard case .array(let entries) = document[list] ?? .null else { return nil }
        return entries.first { $0["name"]?.stringValue == name }
    }
}
