import DRODSAuth
import DRODSCore
import DRODSFleetData
import Foundation

/// `drods demo`: starts the control plane with the fleet built from real data, replays the
/// start of the Alibaba GPU trace through the gateway, takes one cluster down halfway, then
/// prints a report and exits.
enum DemoCommand {
    /// Defaults for a run of 3 to 5 minutes. On a shared 2-core machine they took 3 min 12 s in
    /// all: 1,500 tasks over a 150 s replay, with about 450 Deployments running at the peak.
    /// NOTE: the peak load is set by `DemoTimeline.lifetimeRatio`, not by the speedup, and with
    /// these defaults the clusters reach water levels of about 0.1.
    static let defaultPods = 1500
    static let defaultSpeedup = 5000
    /// Upper bound of the replay in wall-clock seconds.
    static let defaultSeconds = 150
    /// Report deadline of the demo's scheduler: a cluster silent for this many seconds is
    /// unknown and its replicas move, so the failover shows within the replay. Agents report
    /// every 5 s. With a 10 s deadline, a machine with a load average of 15 delayed reports
    /// enough that every cluster turned unknown for a while, so 4 reports may be missed.
    static let reportDeadlineSeconds = "20"
    /// Names of the results the demo writes into its data folder. They stay when the rest of
    /// a temporary folder is removed at exit.
    static let chartFileName = "demo-water-levels.svg"
    static let reportFileName = "demo-report.json"

    static func run(_ words: [String], logger: Logger) throws -> Int32 {
        let arguments = try Arguments(words, valueOptions: ["pods", "speedup", "seconds", "data-dir", "port"],
                                      flagOptions: ["no-failover"])
        guard arguments.positional.isEmpty else {
            throw UsageError("unexpected argument \(arguments.positional[0])")
        }
        let data = try FleetDataSet.bundled()
        let podCount = try arguments.int("pods", default: defaultPods, range: 1...data.pods.count)
        let speedup = try arguments.int("speedup", default: defaultSpeedup, range: 1...10_000_000)
        let seconds = try arguments.int("seconds", default: defaultSeconds, range: 10...86_400)
        let timeline = DemoTimeline(arrivalSpeedup: Double(speedup))
        let pods = Array(data.pods.sorted { ($0.creationTime, $0.name) < ($1.creationTime, $1.name) }.prefix(podCount))
        let tasks = timeline.tasks(for: pods)
        let lastEvent = tasks.flatMap { [$0.createAt, $0.deleteAt] }.max() ?? 0
        let length = min(Double(seconds), lastEvent)
        let fleet = try FleetBuilder().build(data)
        var prices: [String: DemoFigures.Price] = [:]
        for domain in fleet.domains {
            prices[domain.name] = DemoFigures.Price(vcpuHour: domain.pricePerVCPUHour, gbHour: domain.pricePerGBHour)
        }

        var options = Launcher.Options()
        options.dataDirectory = arguments.options["data-dir"].map { URL(fileURLWithPath: $0) }
        // Nothing outside the demo calls the gateway, so any free port will do.
        options.gatewayPort = arguments.options["port"] == nil
            ? try FreePort.find() : try arguments.int("port", default: 8080, range: 1...65535)
        options.fleet = .realData
        options.extraEnvironment = ["DRODS_SCHEDULER_REPORT_DEADLINE_S": reportDeadlineSeconds]
        options.keptFiles = [chartFileName, reportFileName]
        let began = Date()
        let launcher = Launcher(options: options, logger: logger)
        launcher.installSignalHandlers()
        defer { launcher.shutdown() }
        FileHandle.standardError.write(Data("starting PostgreSQL, the broker, five services and \(fleet.domains.count) simulated clusters with agents\n".utf8))
        let endpoints = try launcher.start()
        let directory = endpoints.dataDirectory
        FileHandle.standardError.write(Data("data folder \(directory.path), where the chart and the report will be\n".utf8))

        let signer = TokenSigner(hs256Secret: try SecretFile.read(directory.appendingPathComponent("jwt.secret")))
        let operatorToken = try signer.sign(role: .operator, subject: "drods-demo", lifetime: 24 * 3600)
        let simulatorPort = try String(contentsOf: directory.appendingPathComponent("membersim.port"), encoding: .utf8)
            .split(whereSeparator: { $0 == " " || $0.isNewline }).first.flatMap { Int($0) }
        guard let simulatorPort else { throw LauncherError("no port in \(directory.path)/membersim.port") }
        let simulatorToken = try String(contentsOf: directory.appendingPathComponent("membersim.admin"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)

        var client = DemoClient(gatewayURL: endpoints.gatewayURL, operatorToken: operatorToken,
                                simulatorURL: "http://127.0.0.1:\(simulatorPort)", simulatorToken: simulatorToken,
                                replayStart: Date())
        try waitForReports(client, clusters: fleet.domains.count, stop: launcher.stop)
        try client.createPolicy()
        client = DemoClient(gatewayURL: client.gatewayURL, operatorToken: operatorToken, simulatorURL: client.simulatorURL,
                            simulatorToken: simulatorToken, replayStart: Date())
        FileHandle.standardError.write(Data(("to see each scheduling decision as it happens, run in another terminal:\n"
            + "  .build/release/drods watch --kafka \(endpoints.kafkaBrokers)\n").utf8))
        FileHandle.standardError.write(Data(("replaying \(tasks.filter { $0.createAt <= length }.count) tasks from "
            + "the first \(podCount) trace pods over \(Int(length.rounded())) s\n").utf8))

        let run = DemoRun(client: client, tasks: tasks, length: length,
                          failover: !arguments.flags.contains("no-failover"), stop: launcher.stop, logger: logger)
        run.run()
        let figures = run.currentFigures(prices: prices)
        let snapshot = run.state.snapshot
        run.progress.finish("replay finished: \(snapshot.created) created, \(snapshot.deleted) deleted, "
                            + "\(snapshot.failures.values.reduce(0, +)) requests failed")
        if launcher.stop.isStopped { return 1 }

        let chartPath = directory.appendingPathComponent(chartFileName)
        let reportPath = directory.appendingPathComponent(reportFileName)
        let report = DemoReport(pods: podCount, tasks: run.plannedCreations, timeline: timeline, replaySeconds: length,
                                totalSeconds: Date().timeIntervalSince(began), figures: figures,
                                samples: snapshot.samples, fault: run.fault.flatMap { $0.time >= 0 ? $0 : nil },
                                chartPath: chartPath.path, reportPath: reportPath.path)
        let chart = WaterLevelChart(
            series: report.domainNames.map { name in
                (name, snapshot.samples.compactMap { sample in
                    sample.domains[name].map { (sample.time, $0.waterLevel) }
                })
            },
            faultTime: report.fault?.time)
        try chart.svg().write(to: chartPath, atomically: true, encoding: .utf8)
        try (report.jsonLine() + "\n").write(to: reportPath, atomically: true, encoding: .utf8)
        FileHandle.standardOutput.write(Data((report.text() + report.jsonLine() + "\n").utf8))
        return 0
    }

    /// Waits until every simulated cluster has reported its load, so the first tasks find
    /// the whole fleet.
    private static func waitForReports(_ client: DemoClient, clusters: Int, stop: StopSignal) throws {
        let deadline = Date(timeIntervalSinceNow: 90)
        while Date() < deadline {
            let active = (try? client.liveDomains())?.values.filter(\.active).count ?? 0
            if active >= clusters { return }
            if stop.wait(seconds: 1) { throw LauncherError("interrupted while waiting for the agents") }
        }
        throw LauncherError("the agents of the \(clusters) simulated clusters did not all report within 90 s; "
                            + "see the agent logs in the data folder")
    }
}
