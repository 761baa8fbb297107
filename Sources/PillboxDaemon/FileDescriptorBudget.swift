import Foundation
import Logging

/// Makes room in the process's file descriptor limit (`RLIMIT_NOFILE`) for the connection
/// hard cap: every open connection holds one descriptor, and running out stalls `accept`
/// for everyone.
enum FileDescriptorBudget {
    /// Descriptors kept for everything but local API connections: the database and its
    /// journal, the lock, the listening socket, connections to the central record,
    /// connections being refused, the runtime's own.
    static let reserve = 128

    /// Raises the soft limit (up to the hard limit) so that `openConnections` fit beside the
    /// reserve; returns the number that fits, lower than asked (and logged) when the hard
    /// limit is too low.
    static func fit(openConnections: Int, logger: Logger) -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return openConnections }
        let needed = rlim_t(openConnections + reserve)
        if limit.rlim_cur < needed {
            var raised = limit
            raised.rlim_cur = min(limit.rlim_max, needed)
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        let current = limit.rlim_cur >= rlim_t(Int32.max) ? Int(Int32.max) : Int(limit.rlim_cur)
        let fitting = max(1, current - reserve)
        if fitting < openConnections {
            logger.warning("The file descriptor limit is too low for limits.maxOpenConnections; using fewer", metadata: [
                "limit": "limits.maxOpenConnections", "limits.maxOpenConnections": "\(openConnections)",
                "connections.usable": "\(fitting)", "rlimit.nofile": "\(limit.rlim_cur)",
                "hint": "raise LimitNOFILE= in the systemd unit",
            ])
        }
        return min(openConnections, fitting)
    }
}
