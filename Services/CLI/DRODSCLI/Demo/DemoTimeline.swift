import DRODSFleetData

/// One trace pod as the demo replays it: the Deployment name and when to create and delete
/// it, in wall-clock seconds from the start of the replay.
struct DemoTask: Equatable, Sendable {
    var pod: TracePod
    var name: String
    var createAt: Double
    var deleteAt: Double
}

/// Maps trace time to wall-clock time for the demo.
///
/// The replay starts at the first creation after the last gap of more than a day between
/// consecutive creations, because the trace opens with a few pods created weeks apart
/// before the dense part. Pods created before that start and still alive then are created at
/// once. From there, `arrivalSpeedup` trace seconds of arrivals pass per wall-clock second,
/// while lifetimes are compressed `lifetimeRatio` times less, as `drods bench quality
/// --arrival-speedup 128` brings arrivals closer while keeping lifetimes. Compressing both by
/// the same factor would keep the trace's low concurrency and leave the fleet nearly empty.
/// Pods running at once are arrival rate times lifetime, so `lifetimeRatio` alone sets how
/// many more run at once than in the trace.
struct DemoTimeline: Sendable {
    /// Creation gap, in trace seconds, after which the dense part of the trace starts.
    static let idleGapSeconds: Int64 = 86_400
    /// How many times more arrivals are compressed than lifetimes.
    static let lifetimeRatio = 128.0

    var arrivalSpeedup: Double

    /// Trace seconds of a pod's lifetime per wall-clock second, at least 1.
    var lifetimeSpeedup: Double { max(1, arrivalSpeedup / Self.lifetimeRatio) }

    /// Returns the trace time at which the replay starts for pods in creation order.
    static func replayStart(_ pods: [TracePod]) -> Int64 {
        let times = pods.map(\.creationTime).sorted()
        var start = times.first ?? 0
        for (previous, next) in zip(times, times.dropFirst()) where next - previous > idleGapSeconds {
            start = next
        }
        return start
    }

    /// Returns the tasks for `pods`, ordered by creation, leaving out pods without a positive
    /// lifetime and pods that ended before the replay starts.
    func tasks(for pods: [TracePod]) -> [DemoTask] {
        let start = Self.replayStart(pods)
        var tasks: [DemoTask] = []
        for pod in pods where pod.deletionTime > pod.creationTime && pod.deletionTime > start {
            let createAt = Double(max(0, pod.creationTime - start)) / arrivalSpeedup
            let remaining = Double(pod.deletionTime - max(pod.creationTime, start))
            tasks.append(DemoTask(pod: pod, name: pod.name, createAt: createAt,
                                  deleteAt: createAt + remaining / lifetimeSpeedup))
        }
        return tasks.sorted { ($0.createAt, $0.name) < ($1.createAt, $1.name) }
    }
}
