import Logging
import Synchronization

/// Keeps every record logged through its `logger`, for tests that check what a log line
/// says, and what it must never say (patient data).
package final class LogCapture: Sendable {
    /// One logged record.
    package struct Record: Sendable {
        package var level: Logger.Level
        package var message: String
        package var metadata: [String: String]

        /// The message and every metadata key and value, as one string to search.
        package var rendered: String {
            ([message] + metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
        }
    }

    private let kept = Mutex<[Record]>([])

    package init() {}

    /// Everything logged so far, oldest first.
    package var records: [Record] { kept.withLock { $0 } }

    /// A logger whose records this capture keeps (every level).
    package var logger: Logger {
        Logger(label: "pillbox.tests.capture") { _ in Handler(capture: self) }
    }

    fileprivate func keep(_ record: Record) {
        kept.withLock { $0.append(record) }
    }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var metadataProvider: Logger.MetadataProvider?
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            capture.keep(Record(level: event.level, message: event.message.description,
                                metadata: merged.mapValues { $0.description }))
        }
    }
}
