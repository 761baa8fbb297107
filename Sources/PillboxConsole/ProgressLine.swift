import Foundation
import PillboxModel

/// A one-line progress report on standard error, redrawn in place: "label 1200/5000 (24 %),
/// 300/s, 13 s left". Shown only when standard error is a terminal; `text` is what it shows
/// (also for tests).
package final class ProgressLine {
    private let label: String
    private let total: Int
    private let started: Date
    private let enabled: Bool
    private let language: Language
    private var lastDrawn = Date.distantPast

    package init(_ label: String, total: Int, enabled: Bool = Terminal.progressOnStderr,
                 language: Language = Words.language, now: Date = Date()) {
        self.label = label
        self.total = total
        self.started = now
        self.enabled = enabled
        self.language = language
    }

    /// The line for `done` of `total` at `now`.
    package func text(done: Int, now: Date = Date()) -> String {
        let elapsed = now.timeIntervalSince(started)
        var line = "\(label) \(done)/\(total)"
        if total > 0 { line += " (\(done * 100 / total) %)" }
        guard elapsed > 0, done > 0 else { return line }
        let rate = Double(done) / elapsed
        line += ", \(Int(rate.rounded()))/s"
        if total > done {
            let left = Int((Double(total - done) / rate).rounded(.up))
            line += ", " + tr("\(Human.duration(seconds: left, language)) left",
                              "encore \(Human.duration(seconds: left, language))", language)
        }
        return line
    }

    /// Redraws the line (at most ten times a second).
    package func update(done: Int, now: Date = Date()) {
        guard enabled, now.timeIntervalSince(lastDrawn) >= 0.1 || done == total else { return }
        lastDrawn = now
        FileHandle.standardError.write(Data("\r\u{1B}[K\(text(done: done, now: now))".utf8))
    }

    /// Ends the line so that the next output starts on a fresh one.
    package func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
