import DRODSCore
import DRODSGateway
import Foundation

/// Entry point of the `drods` command-line tool.
public enum CommandLineTool {
    static let usage = """
        usage: drods <command> [options]

        API commands talk to the gateway at --server URL (default: DRODS_URL) with the JWT in
        --token TOKEN (default: DRODS_TOKEN); `. DATA/drods.env` of drods up sets both.

        commands:
          apply        create or update the resources of a YAML or JSON file
                         -f FILE             the file; - reads standard input. Documents are
                                             clusters, propagation policies, ResourcePlacementPolicy,
                                             ClusterOverridePolicy, Deployment, StatefulSet or Job
          get          list resources, or show one
                         TYPE [NAME]         clusters, propagationpolicies, placementpolicies,
                                             overridepolicies, workloads or bindings
                         -o FORMAT           wide (more columns), json or yaml (the API's objects)
          describe     explain a binding: placement, scores, filter reasons and its events
                         binding ID
          history      the scheduling or failure history, oldest first
                         schedules|failures
                         --since WHEN        from a duration ago (30m, 2h, 7d) or an ISO 8601 time
                         --max N             entries to print at most (default 100)
                         -o FORMAT           json or yaml instead of a table
          watch        print each scheduling decision as it is published on drods.events.binding,
                       until Ctrl-C
                         --kafka BROKERS     Kafka bootstrap servers (default: DRODS_KAFKA_BROKERS)
          up           run the whole control plane on this machine
                         --data-dir DIR      keep state in DIR (default: a temporary folder,
                                             removed on exit); drods.env is written there
                         --kafka BROKERS     use these Kafka brokers instead of the development broker
                         --postgres URL      use this PostgreSQL instead of a private server
                         --port PORT         gateway port (default 8080)
                         --log-level LEVEL   services' log level (default info)
                         --fleet FILE        simulate the member clusters of this simulator fleet file
                                             (default: 8 clusters built from the bundled GPU trace)
                         --no-fleet          start no simulated member clusters or agents
          demo         start everything with the simulated fleet built from real data, replay the
                       start of the Alibaba GPU trace through the API (one Deployment per pod),
                       take one cluster down halfway, print a report and exit
                         --pods N            trace pods to replay, in creation order (default 1500)
                         --speedup N         trace seconds of arrivals per wall-clock second; lifetimes
                                             run 128 times slower than that (default 5000)
                         --seconds N         length of the replay in wall-clock seconds (default 150)
                         --data-dir DIR      keep state and logs in DIR (default: a temporary folder under
                                             /var/tmp, removed on exit but for the results); the results,
                                             demo-water-levels.svg and demo-report.json, go there too
                         --port PORT         gateway port (default: any free port)
                         --no-failover       take no cluster down
          dev-broker   run librdkafka's mock cluster on loopback and print its address
                         --brokers N         number of brokers (default 1)
                         --partitions N      partitions per topic (default 6)
          token        mint a JWT for the gateway
                         --role ROLE         admin, operator, viewer or agent (required)
                         --subject NAME      token subject (default: the role)
                         --cluster NAME      the cluster an agent token may report for
                         --ttl SECONDS       lifetime (default 3600)
                         --secret-file FILE  HS256 key file, such as DIR/jwt.secret of drods up
                                             (default: DRODS_JWT_SECRET or DRODS_JWT_SECRET_FILE)
          bench eventlog
                       append throughput and latency, then append-to-consumer latency
                         --events N          events to append (default 200000)
                         --batch N           events per append (default 100)
                         --writers N         concurrent writers (default 4)
                         --rate N            events/s for the latency phase (default 1000)
                         --seconds N         length of the latency phase (default 10)
                         --postgres URL      use this PostgreSQL instead of a private server
                         --kafka BROKERS     use these brokers instead of the development broker
          bench api    REST throughput and latency against a private control plane
                         --clusters N        clusters registered by the write phase (default 1000)
                         --write-rate N      synchronous writes per second (default 200)
                         --read-rate N       list requests per second (default 5000)
                         --seconds N         length of the read phase (default 10)
                         --connections N     keep-alive connections (default 16)
                         --warmup N          unmeasured writes and reads first (default 100)
          bench bindings
                       POST /api/v1/bindings to the decision event on Kafka, end to end
                         --clusters N        clusters to place on (default 8)
                         --rate N            bindings per second (default 500)
                         --seconds N         length of the run (default 10)
                         --connections N     keep-alive connections, and gateway threads (default 128)
          bench metrics
                       PUT /api/v1/metrics through the gateway, as agents of many clusters
                         --domains N         simulated clusters, one agent token each (default 1000)
                         --rate N            reports per second (default 5000)
                         --seconds N         length of the run (default 10)
                         --connections N     keep-alive connections, one per agent (default 1000)
          bench failover
                       time from a member cluster going down to its replicas running elsewhere
                         --runs N            failovers to time (default 20)
                         --replicas N        replicas of the Deployment that moves (default 6)
                         --timeout S         heartbeat timeout and report deadline (default 10)
          bench scheduler
                       decisions per second and decision latency of the scheduling core on one
                       thread, with 100, 1000 and 5000 synthetic domains
                         --decisions N       timed decisions per fleet size (default 2000)
                         --tasks N           distinct synthetic tasks, used in turn (default 200)
                         --seed N            seed of the synthetic fleet and tasks (default 1)
          bench quality
                       replay the Alibaba GPU trace against a fleet built from its nodes, once per
                       strategy (drods, static, available_replicas, round_robin)
                         --data DIR          read the CSV files from DIR (alibaba-gpu-v2023/ and
                                             cloud/ inside) instead of the bundled copies
                         --domains N         member clusters to split the nodes into (default 8)
                         --seed N            seed for dealing CPU-only nodes (default 1)
                         --arrival-speedup N divide arrival times by N, keeping lifetimes (default 128)
          openapi      print the API's OpenAPI 3 document (the copy in Docs/openapi.json)
          help         print this text

        Exit status: 0 on success, 1 when a command fails, 2 when it is called wrongly.

        """

    public static func main(_ arguments: [String]) -> Int32 {
        guard let command = arguments.first else {
            FileHandle.standardError.write(Data(usage.utf8))
            return 2
        }
        let rest = Array(arguments.dropFirst())
        if rest.contains("--help") || rest.contains("-h") {
            FileHandle.standardOutput.write(Data(usage.utf8))
            return 0
        }
        let logger = Logger(service: "drods", level: .info)
        do {
            switch command {
            case "up": return try UpCommand.run(rest, logger: logger)
            case "demo": return try DemoCommand.run(rest, logger: Logger(service: "drods", level: .warning))
            case "dev-broker": return try DevBrokerCommand.run(rest, logger: logger)
            case "token": return try TokenCommand.run(rest)
            case "apply": return try ApplyCommand.run(rest)
            case "get": return try GetCommand.run(rest)
            case "describe": return try DescribeCommand.run(rest)
            case "history": return try HistoryCommand.run(rest)
            case "watch": return try WatchCommand.run(rest)
            case "bench": return try BenchCommand.run(rest, logger: logger)
            case "openapi":
                let document = try WireJSON.encode(OpenAPIDocument.json())
                FileHandle.standardOutput.write(document + Data("\n".utf8))
                return 0
            case "help", "--help", "-h":
                FileHandle.standardOutput.write(Data(usage.utf8))
                return 0
            default:
                throw UsageError("unknown command \"\(command)\"")
            }
        } catch let error as UsageError {
            FileHandle.standardError.write(Data("drods: \(error)\nRun `drods help` for the commands and their options.\n".utf8))
            return 2
        } catch {
            FileHandle.standardError.write(Data("drods: \(error)\n".utf8))
            return 1
        }
    }
}

enum UpCommand {
    static func run(_ words: [String], logger: Logger) throws -> Int32 {
        let arguments = try Arguments(words, valueOptions: ["data-dir", "kafka", "postgres", "port", "log-level", "fleet"],
                                      flagOptions: ["no-fleet"])
        guard arguments.positional.isEmpty else {
            throw UsageError("unexpected argument \(arguments.positional[0])")
        }
        var options = Launcher.Options()
        options.dataDirectory = arguments.options["data-dir"].map { URL(fileURLWithPath: $0) }
        options.kafkaBrokers = arguments.options["kafka"]
        options.postgresURL = arguments.options["postgres"]
        options.gatewayPort = try arguments.int("port", default: 8080, range: 1...65535)
        if arguments.flags.contains("no-fleet") {
            options.fleet = .none
        } else if let file = arguments.options["fleet"] {
            guard FileManager.default.fileExists(atPath: file) else { throw UsageError("fleet file \(file) not found") }
            options.fleet = .file(URL(fileURLWithPath: file))
        } else {
            options.fleet = .realData
        }
        if let level = arguments.options["log-level"] {
            guard LogLevel(name: level) != nil else { throw UsageError("unknown log level \(level)") }
            options.logLevel = level
        }
        return Launcher(options: options, logger: logger).run()
    }
}
