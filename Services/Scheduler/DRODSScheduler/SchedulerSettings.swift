import DRODSCore
import DRODSScheduling
import Foundation

/// The scheduler service's own settings, read from `DRODS_SCHEDULER_*` variables.
public struct SchedulerSettings: Sendable {
    /// Seconds after a cluster's last load report at which it counts as `unknown`, so that
    /// new replicas avoid it and its running replicas move.
    public var reportDeadline: Double
    /// Seconds between two passes over pending and partly placed bindings when no event
    /// arrives, because load reports that make room arrive on Kafka, not in the log.
    public var retryInterval: Double
    /// Water level (0 to 1) above which a cluster counts as overloaded.
    public var overloadLevel: Double
    /// Seconds a cluster must stay overloaded before its low-priority work moves.
    public var overloadAfter: Double
    /// Highest binding priority whose replicas move off an overloaded cluster.
    public var overloadMaxPriority: Int
    public var core: SchedulerConfiguration

    public init(reportDeadline: Double = 60, retryInterval: Double = 1, overloadLevel: Double = 0.9,
                overloadAfter: Double = 300, overloadMaxPriority: Int = 100,
                core: SchedulerConfiguration = SchedulerConfiguration()) {
        self.reportDeadline = reportDeadline
        self.retryInterval = retryInterval
        self.overloadLevel = overloadLevel
        self.overloadAfter = overloadAfter
        self.overloadMaxPriority = overloadMaxPriority
        self.core = core
    }

    /// Reads the settings. Base weights need not sum to 1; they are normalised.
    /// - Throws: `ConfigurationError` naming the variable with an invalid value.
    public static func fromEnvironment(_ env: Environment) throws -> SchedulerSettings {
        var base = FactorWeights.standard
        for factor in ScoreFactor.allCases {
            let name = "DRODS_SCHEDULER_WEIGHT_" + variableSuffix(factor)
            base[factor] = try env.double(name, default: base[factor], range: 0...100)
        }
        let defaults = WeightAdaptation()
        let adaptation = WeightAdaptation(
            base: base.normalised(),
            pivotLoad: try env.double("DRODS_SCHEDULER_PIVOT_LOAD", default: defaults.pivotLoad, range: 0...1),
            loadSpan: try env.double("DRODS_SCHEDULER_LOAD_SPAN", default: defaults.loadSpan, range: 0.01...1),
            loadSensitivity: try env.double("DRODS_SCHEDULER_LOAD_SENSITIVITY", default: defaults.loadSensitivity,
                                            range: 0...1),
            prioritySensitivity: try env.double("DRODS_SCHEDULER_PRIORITY_SENSITIVITY",
                                                default: defaults.prioritySensitivity, range: 0...1),
            surgeMultiplier: try env.double("DRODS_SCHEDULER_SURGE_MULTIPLIER", default: defaults.surgeMultiplier,
                                            range: 1...10))
        let coreDefaults = SchedulerConfiguration()
        var core = SchedulerConfiguration(
            maxLatencyMs: try env.double("DRODS_SCHEDULER_MAX_LATENCY_MS", default: coreDefaults.maxLatencyMs,
                                         range: 1...10_000),
            preferNoSchedulePenalty: try env.double("DRODS_SCHEDULER_PREFER_NO_SCHEDULE_PENALTY",
                                                    default: coreDefaults.preferNoSchedulePenalty, range: 0...1),
            scheduleAgainstForecast: try env.bool("DRODS_SCHEDULER_FORECAST", default: false),
            weightAdaptation: adaptation)
        core.balanceTolerance = try env.double("DRODS_SCHEDULER_BALANCE_TOLERANCE",
                                               default: coreDefaults.balanceTolerance, range: 0.001...10)
        core.explainedDomains = try env.int("DRODS_SCHEDULER_EXPLAINED_CLUSTERS",
                                            default: coreDefaults.explainedDomains, range: 0...10_000)
        return SchedulerSettings(
            reportDeadline: try env.double("DRODS_SCHEDULER_REPORT_DEADLINE_S", default: 60, range: 1...3600),
            retryInterval: try env.double("DRODS_SCHEDULER_RETRY_INTERVAL_S", default: 1, range: 0.05...60),
            overloadLevel: try env.double("DRODS_SCHEDULER_OVERLOAD_LEVEL", default: 0.9, range: 0.1...1),
            overloadAfter: try env.double("DRODS_SCHEDULER_OVERLOAD_AFTER_S", default: 300, range: 0...86_400),
            overloadMaxPriority: try env.int("DRODS_SCHEDULER_OVERLOAD_MAX_PRIORITY", default: 100, range: 0...1000),
            core: core)
    }

    /// `dataLocality` becomes `DATA_LOCALITY`.
    static func variableSuffix(_ factor: ScoreFactor) -> String {
        var suffix = ""
        for character in factor.rawValue {
            if character.isUppercase { suffix += "_" }
            suffix += character.uppercased()
        }
        return suffix
    }
}
