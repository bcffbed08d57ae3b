import DRODSCore
import DRODSYAML
import Foundation
import XCTest

/// Static checks of `compose/docker-compose.yml` against the code. No Docker engine runs these
/// tests, so they keep the compose file in step with the services: the variables they read, the
/// executables the package has, pinned images, health checks and secrets kept out of the file.
final class ComposeFileTests: XCTestCase {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // DRODSServiceTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()
    static let composeDirectory = repositoryRoot.appendingPathComponent("compose")
    static let composeFile = composeDirectory.appendingPathComponent("docker-compose.yml")
    static let dockerfile = composeDirectory.appendingPathComponent("Dockerfile")

    /// Dependencies allowed to use `condition: service_started`, keyed by "service -> dependency",
    /// with the reason a health check cannot be waited for. Every other dependency must use
    /// `service_healthy`.
    static let startedDependencyReasons: [String: String] = [:]

    /// Variables whose values are keys or passwords and must come from the environment of
    /// `docker compose`, besides every name ending in `_SECRET`, `_KEY` or `_PASSWORD`.
    static let secretVariables: Set<String> = ["DRODS_JWT_SECRET", "DRODS_CREDENTIALS_KEY", "POSTGRES_PASSWORD"]

    // MARK: - Tests

    /// Every variable set on a DRO-DS container is one that the code under `Shared/` and
    /// `Services/` reads, so a misspelled or removed setting does not pass silently.
    func testServiceVariablesAreReadByCode() throws {
        let known = try Self.variableNamesInSources()
        XCTAssertGreaterThan(known.count, 10, "the scan of Shared/ and Services/ found too few DRODS_ names: \(known)")

        let services = try Self.droDSServices()
        XCTAssertFalse(services.isEmpty, "the compose file has no DRO-DS service")
        var checked = 0
        for (name, service) in services.sorted(by: { $0.key < $1.key }) {
            XCTAssertNil(service["env_file"],
                         "\(name) uses env_file, whose variables this test cannot check; list them under environment")
            for variable in try Self.environment(of: service, named: name).keys.sorted() {
                checked += 1
                XCTAssertTrue(known.contains(variable),
                              "\(name) sets \(variable), which no Swift source under Shared/ or Services/ reads")
            }
        }
        XCTAssertGreaterThan(checked, 0, "no DRO-DS service sets any environment variable")
    }

    /// Every service executable of Package.swift runs in a compose service. These are the
    /// `drods-…` executable targets, because the `drods` CLI is not a service.
    func testEveryExecutableHasAService() throws {
        let manifest = try String(contentsOf: Self.repositoryRoot.appendingPathComponent("Package.swift"),
                                  encoding: .utf8)
        let pattern = try Regex(#"\.executableTarget\(\s*name:\s*"(drods-[^"]+)""#, as: (Substring, Substring).self)
        let executables = Set(manifest.matches(of: pattern).map { String($0.output.1) })
        XCTAssertFalse(executables.isEmpty, "found no .executableTarget(name: \"drods-…\" in Package.swift")

        var programs: [String: String] = [:]
        for (name, service) in try Self.services() {
            if let program = try Self.program(of: service, named: name) { programs[program] = name }
        }
        for executable in executables.sorted() {
            XCTAssertNotNil(programs[executable], "no compose service runs \(executable); commands: \(programs)")
        }
    }

    /// Every image, in the compose file and in the Dockerfile's FROM lines, has a version tag or a
    /// digest, and every `build:` uses compose/Dockerfile.
    func testImagesPinnedAndBuildsUseDockerfile() throws {
        let expectedDockerfile = Self.dockerfile.standardizedFileURL.path
        XCTAssertTrue(FileManager.default.fileExists(atPath: expectedDockerfile), "\(expectedDockerfile) is missing")

        for (name, service) in try Self.services().sorted(by: { $0.key < $1.key }) {
            let image = service["image"]
            let build = service["build"]
            XCTAssertTrue(image != nil || build != nil, "\(name) has neither image nor build")
            if let image {
                let reference = try XCTUnwrap(image.stringValue, "\(name): image is not a string")
                XCTAssertTrue(Self.isPinned(reference),
                              "\(name): image \(reference) is not pinned to a version tag or a digest")
            }
            if let build {
                let dockerfile = try Self.dockerfilePath(of: build, service: name)
                XCTAssertEqual(dockerfile, expectedDockerfile, "\(name): build does not use compose/Dockerfile")
            }
        }

        let baseImages = try Self.baseImages(inDockerfile: String(contentsOf: Self.dockerfile, encoding: .utf8))
        XCTAssertFalse(baseImages.isEmpty, "compose/Dockerfile has no FROM line")
        for reference in baseImages {
            XCTAssertTrue(Self.isPinned(reference), "Dockerfile: FROM \(reference) is not pinned to a version tag or a digest")
        }
    }

    /// Every service has a health check and a restart policy, each DRO-DS service checks
    /// `/readyz` on its own admin port, and every dependency waits for `service_healthy`.
    func testHealthChecksAndDependencyConditions() throws {
        let services = try Self.services()
        let droDSServices = try Self.droDSServices()
        for (name, service) in services.sorted(by: { $0.key < $1.key }) {
            XCTAssertNotNil(service["restart"], "\(name) has no restart policy")

            let check = Self.healthCheckCommand(of: service)
            XCTAssertFalse(check.isEmpty, "\(name) has no health check")
            XCTAssertNotEqual(check.first, "NONE", "\(name) disables its health check")
            XCTAssertNotEqual(service["healthcheck"]?["disable"], .bool(true), "\(name) disables its health check")

            // The five services have admin endpoints; the agent and the simulator have none.
            if droDSServices[name] != nil, let program = try Self.program(of: service, named: name),
               Self.servicePrograms.contains(program) {
                let environment = try Self.environment(of: service, named: name)
                let port = try XCTUnwrap(environment["DRODS_ADMIN_PORT"] ?? nil,
                                         "\(name) does not set DRODS_ADMIN_PORT")
                XCTAssertTrue(check.contains { $0.hasSuffix(":\(port)/readyz") },
                              "\(name): the health check \(check) does not request /readyz on admin port \(port)")
            }

            switch service["depends_on"] {
            case nil:
                break
            case .array(let names)?:
                let listed = names.compactMap(\.stringValue).joined(separator: ", ")
                XCTFail("\(name): depends_on [\(listed)] uses the short form, which waits only for the start")
            case .object(let dependencies)?:
                for (dependency, settings) in dependencies.sorted(by: { $0.key < $1.key }) {
                    XCTAssertNotNil(services[dependency], "\(name) depends on \(dependency), which is not a service")
                    let condition = settings["condition"]?.stringValue
                    if condition == "service_started",
                       Self.startedDependencyReasons["\(name) -> \(dependency)"] != nil {
                        continue
                    }
                    XCTAssertEqual(condition, "service_healthy",
                                   "\(name) -> \(dependency) must use condition: service_healthy, or "
                                       + "service_started with a reason in startedDependencyReasons")
                }
            case let other?:
                XCTFail("\(name): depends_on is neither a list nor a mapping: \(other)")
            }
        }
    }

    /// Keys and passwords are `${VARIABLE}` references without a default, so the compose file
    /// holds no secret value, and the gateway receives both its token key and its credentials key.
    func testSecretsAreVariableReferences() throws {
        var checked: Set<String> = []
        for (name, service) in try Self.services().sorted(by: { $0.key < $1.key }) {
            for (variable, value) in try Self.environment(of: service, named: name) {
                let isSecret = Self.secretVariables.contains(variable)
                    || ["_SECRET", "_KEY", "_PASSWORD"].contains { variable.hasSuffix($0) }
                if isSecret {
                    checked.insert("\(name).\(variable)")
                    XCTAssertTrue(Self.isReferenceWithoutDefault(value ?? ""),
                                  "\(name): \(variable) must be a ${VARIABLE} or ${VARIABLE:?message} reference, "
                                      + "not \(value ?? "an empty value")")
                }
                if let password = Self.urlPassword(in: value ?? "") {
                    checked.insert("\(name).\(variable)")
                    XCTAssertTrue(Self.isReferenceWithoutDefault(password),
                                  "\(name): the password in \(variable) must be a ${VARIABLE} reference")
                }
            }
        }

        let gateway = try XCTUnwrap(try Self.services().first { try Self.program(of: $0.value, named: $0.key) == "drods-gateway" },
                                    "no service runs drods-gateway")
        for variable in ["DRODS_JWT_SECRET", "DRODS_CREDENTIALS_KEY"] {
            XCTAssertTrue(checked.contains("\(gateway.key).\(variable)"), "\(gateway.key) does not set \(variable)")
        }
    }

    // MARK: - Reading the compose file

    /// Parses the compose file and returns its services by name.
    static func services() throws -> [String: JSONValue] {
        let text = try String(contentsOf: composeFile, encoding: .utf8)
        guard case .object(let services)? = try YAMLDecoder.parseSingle(text)["services"] else {
            throw ComposeFileError("compose/docker-compose.yml has no services mapping")
        }
        return services
    }

    /// Selects the services that run DRO-DS programs: those built from the Dockerfile or running a `drods` program.
    static let servicePrograms: Set<String> = [
        "drods-gateway", "drods-controller", "drods-scheduler", "drods-monitor", "drods-history",
    ]

    static func droDSServices() throws -> [String: JSONValue] {
        try services().filter { name, service in
            if service["build"] != nil { return true }
            return try program(of: service, named: name)?.hasPrefix("drods") == true
        }
    }

    /// Returns the program a service runs, which is the first word of its `command`, or nil without one.
    static func program(of service: JSONValue, named name: String) throws -> String? {
        switch service["command"] {
        case nil:
            return nil
        case .string(let command)?:
            return command.split(whereSeparator: \.isWhitespace).first.map(String.init)
        case .array(let words)?:
            return words.first?.stringValue
        case let other?:
            throw ComposeFileError("\(name): command is neither a string nor a list: \(other)")
        }
    }

    /// Reads a service's `environment` in the mapping or the `NAME=value` list form. A name listed
    /// without a value maps to nil.
    static func environment(of service: JSONValue, named name: String) throws -> [String: String?] {
        switch service["environment"] {
        case nil:
            return [:]
        case .object(let members)?:
            return try members.mapValues { value -> String? in try scalarText(value, context: "\(name) environment") }
        case .array(let entries)?:
            var result: [String: String?] = [:]
            for entry in entries {
                guard let text = entry.stringValue else {
                    throw ComposeFileError("\(name): environment entry \(entry) is not a string")
                }
                if let equals = text.firstIndex(of: "=") {
                    result[String(text[..<equals])] = String(text[text.index(after: equals)...])
                } else {
                    result[text] = String?.none
                }
            }
            return result
        case let other?:
            throw ComposeFileError("\(name): environment is neither a mapping nor a list: \(other)")
        }
    }

    /// Converts a scalar to the text compose passes to the container. A null value, which sets a
    /// variable without a value, becomes nil.
    static func scalarText(_ value: JSONValue, context: String) throws -> String? {
        switch value {
        case .null: return nil
        case .string(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let number):
            return number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .array, .object:
            throw ComposeFileError("\(context): \(value) is not a scalar")
        }
    }

    /// Returns the words of a service's health check command, without the leading `CMD` or `CMD-SHELL`.
    static func healthCheckCommand(of service: JSONValue) -> [String] {
        switch service["healthcheck"]?["test"] {
        case .string(let command)?:
            return command.split(whereSeparator: \.isWhitespace).map(String.init)
        case .array(let words)?:
            let strings = words.compactMap(\.stringValue)
            if let first = strings.first, first == "CMD" || first == "CMD-SHELL" {
                return Array(strings.dropFirst())
            }
            return strings
        default:
            return []
        }
    }

    /// Resolves the absolute path of the Dockerfile a `build:` entry uses. Compose resolves the
    /// context against the compose file's folder and the Dockerfile against the context.
    static func dockerfilePath(of build: JSONValue, service: String) throws -> String {
        let context: String
        let dockerfile: String
        switch build {
        case .string(let path):
            context = path
            dockerfile = "Dockerfile"
        case .object:
            context = build["context"]?.stringValue ?? "."
            dockerfile = build["dockerfile"]?.stringValue ?? "Dockerfile"
        default:
            throw ComposeFileError("\(service): build is neither a path nor a mapping: \(build)")
        }
        let contextURL = context.hasPrefix("/")
            ? URL(fileURLWithPath: context)
            : composeDirectory.appendingPathComponent(context)
        let dockerfileURL = dockerfile.hasPrefix("/")
            ? URL(fileURLWithPath: dockerfile)
            : contextURL.appendingPathComponent(dockerfile)
        return dockerfileURL.standardizedFileURL.path
    }

    // MARK: - Rules

    /// Checks that an image reference names a digest, or a tag that starts with a version of at least
    /// two numbers (`15.14-bookworm`, `3.9.1`). `latest`, bare major versions such as `15`, and
    /// tags or references built from variables do not count.
    /// NOTE: a two-number tag such as `swift:6.3-bookworm` passes although it moves with patch releases.
    static func isPinned(_ reference: String) -> Bool {
        if reference.contains("$") { return false }
        if reference.contains("@sha256:") { return true }
        let lastComponent = reference.split(separator: "/").last.map(String.init) ?? reference
        guard let colon = lastComponent.firstIndex(of: ":") else { return false }
        let tag = lastComponent[lastComponent.index(after: colon)...]
        return tag != "latest" && tag.wholeMatch(of: /v?[0-9]+\.[0-9]+.*/) != nil
    }

    /// Lists the images of a Dockerfile's FROM lines, leaving out references to earlier build stages.
    static func baseImages(inDockerfile text: String) throws -> [String] {
        var stages: Set<String> = []
        var images: [String] = []
        for line in text.split(separator: "\n") {
            let words = line.split(whereSeparator: \.isWhitespace).map(String.init)
            guard words.first?.uppercased() == "FROM" else { continue }
            // FROM [--platform=…] image [AS name]
            let arguments = words.dropFirst().filter { !$0.hasPrefix("--") }
            guard let image = arguments.first else { throw ComposeFileError("Dockerfile: FROM without an image") }
            if !stages.contains(image.lowercased()) { images.append(image) }
            if arguments.count >= 3, arguments[arguments.startIndex + 1].uppercased() == "AS" {
                stages.insert(arguments[arguments.startIndex + 2].lowercased())
            }
        }
        return images
    }

    /// Checks that a value is exactly one `${NAME}`, `${NAME?message}` or `${NAME:?message}`
    /// reference. The `-` and `+` forms are rejected, because they would put a value in the file.
    static func isReferenceWithoutDefault(_ value: String) -> Bool {
        value.wholeMatch(of: /\$\{[A-Za-z_][A-Za-z0-9_]*(:?\?[^}]*)?\}/) != nil
    }

    /// Extracts the password of a `scheme://user:password@host` URL in a value, or nil when it has none.
    static func urlPassword(in value: String) -> String? {
        guard let match = value.firstMatch(of: /:\/\/[^:\/@]*:(?<password>.*)@[^@]*$/) else { return nil }
        return String(match.output.password)
    }

    /// Collects the `DRODS_*` names that appear as string literals in the Swift sources under
    /// `Shared/` and `Services/`, which are the variables the services and the CLI read.
    static func variableNamesInSources() throws -> Set<String> {
        let pattern = try Regex(#""(DRODS_[A-Z0-9_]+)""#, as: (Substring, Substring).self)
        var names: Set<String> = []
        for folder in ["Shared", "Services"] {
            let root = repositoryRoot.appendingPathComponent(folder)
            guard let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else {
                throw ComposeFileError("cannot list \(root.path)")
            }
            for case let file as URL in files where file.pathExtension == "swift" {
                let source = try String(contentsOf: file, encoding: .utf8)
                for match in source.matches(of: pattern) { names.insert(String(match.output.1)) }
            }
        }
        return names
    }
}

struct ComposeFileError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
