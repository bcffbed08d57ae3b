import Foundation

/// Progress of the replay on stderr: one line redrawn in place on a terminal, or a plain
/// line every `plainInterval` seconds when stderr is a file or a pipe.
final class DemoProgress: @unchecked Sendable {
    static let barWidth = 30
    let isTerminal = isatty(STDERR_FILENO) == 1
    let plainInterval = 10.0
    private var lastPlainLine = -Double.infinity

    /// Builds the progress text, with `fraction` from 0 to 1. Every count is cumulative since
    /// the replay started: workloads created and deleted, and tasks by the best decision they
    /// got so far (`outcomes`), the same counts the report prints at the end.
    static func line(fraction: Double, elapsed: Double, window: Double, created: Int, tasks: Int, deleted: Int,
                     outcomes: [DemoOutcome: Int], note: String) -> String {
        let clamped = min(1, max(0, fraction))
        let filled = Int((clamped * Double(barWidth)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: barWidth - filled)
        var text = "[\(bar)] \(String(format: "%3d", Int(clamped * 100)))% \(Int(elapsed))/\(Int(window)) s"
        text += "  created \(created)/\(tasks)  deleted \(deleted)"
        text += "  tasks scheduled \(outcomes[.scheduled] ?? 0)"
        if let partial = outcomes[.partiallyScheduled], partial > 0 { text += "  partially \(partial)" }
        text += "  unschedulable \(outcomes[.unschedulable] ?? 0)"
        if !note.isEmpty { text += "  \(note)" }
        return text
    }

    func show(_ text: String, elapsed: Double) {
        if isTerminal {
            // Carriage return and erase-to-end-of-line redraw the same line.
            FileHandle.standardError.write(Data("\r\(text)\u{1B}[K".utf8))
        } else if elapsed - lastPlainLine >= plainInterval {
            lastPlainLine = elapsed
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }
    }

    /// Ends the progress line, so that later output starts on a line of its own.
    func finish(_ text: String) {
        FileHandle.standardError.write(Data(((isTerminal ? "\r" : "") + text + (isTerminal ? "\u{1B}[K\n" : "\n")).utf8))
    }
}
