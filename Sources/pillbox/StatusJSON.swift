import Foundation
import PillboxConsole
import PillboxWire

/// `pillbox status --json`: the daemon's status object as it sent it, plus a `health` member
/// with the verdict (level, exit code, reasons with codes and messages). When the daemon is
/// down, only `health`.
struct StatusJSON: Encodable {
    var status: StatusResponse?
    var verdict: StatusVerdict
    var now: Date

    struct Health: Encodable {
        var level: String
        var exitCode: Int32
        var reasons: [Reason]
    }

    struct Reason: Encodable {
        var code: String
        var message: String
    }

    private enum Key: String, CodingKey { case health }

    func encode(to encoder: any Encoder) throws {
        try status?.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        let level = switch verdict.level {
        case .healthy: "healthy"
        case .degraded: "degraded"
        case .down: "down"
        }
        try container.encode(Health(level: level, exitCode: verdict.level.rawValue,
                                    reasons: verdict.reasons.map { Reason(code: $0.code, message: $0.message(now: now)) }),
                             forKey: .health)
    }
}
