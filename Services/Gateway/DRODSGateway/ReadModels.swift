import DRODSCore
import DRODSEventStore
import Foundation

/// Queries of the read models that the history service projects.
struct ReadModels: Sendable {
    let pool: ConnectionPool

    func listResources(kind: ResourceKind) throws -> [JSONValue] {
        try pool.withConnection { connection in
            let result = try connection.query(
                "SELECT document::text FROM resources WHERE kind = $1 ORDER BY key", [kind.name])
            return try result.rows.map { row in try Self.decode(row[0]) }
        }
    }

    func resource(kind: ResourceKind, key: String) throws -> JSONValue? {
        try pool.withConnection { connection in
            let result = try connection.query(
                "SELECT document::text FROM resources WHERE kind = $1 AND key = $2", [kind.name, key])
            guard let row = result.rows.first else { return nil }
            return try Self.decode(row[0])
        }
    }

    static func decode(_ text: String?) throws -> JSONValue {
        guard let text else { return .null }
        return try WireJSON.decode(JSONValue.self, from: Data(text.utf8))
    }
}
