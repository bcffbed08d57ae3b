import DRODSCore
import Foundation

/// `drods get TYPE [NAME] [-o wide|json|yaml]`: lists resources, or shows one.
enum GetCommand {
    static func run(_ words: [String]) throws -> Int32 {
        let arguments = try Arguments(OutputFormat.normalize(words),
                                      valueOptions: GatewayConnection.valueOptions.union(["output"]))
        guard let typeName = arguments.positional.first else {
            throw UsageError("get needs a resource type: "
                             + ResourceType.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard let type = ResourceType(argument: typeName) else {
            throw UsageError("unknown resource type \"\(typeName)\"; use "
                             + ResourceType.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard arguments.positional.count <= 2 else {
            throw UsageError("unexpected argument \(arguments.positional[2])")
        }
        let name = arguments.positional.count == 2 ? arguments.positional[1] : nil
        let format = try OutputFormat(arguments: arguments)
        let connection = try GatewayConnection(arguments: arguments)

        let items: [JSONValue]
        let object: JSONValue
        if let name {
            let item = try fetchOne(type, name: name, connection: connection)
            items = [item]
            object = item
        } else {
            object = try connection.expectSuccess("GET", type.collectionPath)
            guard case .array(let listed) = object["items"] ?? .null else {
                throw GatewayError(description: "GET \(type.collectionPath) returned no items list")
            }
            items = listed
        }

        switch format {
        case .json, .yaml:
            print(try format.render(object), terminator: "")
        case .table, .wide:
            if items.isEmpty {
                FileHandle.standardError.write(Data("No \(type.rawValue) found.\n".utf8))
            } else {
                print(ResourceTables.table(type, items: items, wide: format == .wide).render(), terminator: "")
            }
        }
        return 0
    }

    /// Reads one resource. A workload is found in the list by `name`, `namespace/name` or
    /// `Kind/namespace/name`, because its API path needs the namespace and the kind.
    static func fetchOne(_ type: ResourceType, name: String, connection: GatewayConnection) throws -> JSONValue {
        if let path = type.itemPath(name: name) {
            return try connection.expectSuccess("GET", path)
        }
        let list = try connection.expectSuccess("GET", type.collectionPath)
        guard case .array(let items) = list["items"] ?? .null else { return .null }
        let matches = items.filter { WorkloadName.matches($0, name) }
        guard matches.count <= 1 else {
            throw UsageError("\(matches.count) workloads are named \"\(name)\"; "
                             + "write NAMESPACE/NAME or KIND/NAMESPACE/NAME")
        }
        guard let match = matches.first else {
            throw GatewayError(description: "not found: no workload \"\(name)\"", status: 404)
        }
        return match
    }
}
