import Foundation
import PillboxTestSupport

/// A caller that is not root: curl run as uid 65534 (`nobody`, group `nogroup`) through
/// `setpriv`, for the tests of what the daemon does with another user's requests.
enum Nobody {
    static let uid = 65534

    /// Whether it can run here: as root, with `/usr/bin/setpriv` and `/usr/bin/curl`.
    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/curl") && getuid() == 0
    }

    static let unavailable = "needs root, /usr/bin/setpriv and /usr/bin/curl (.ci/run installs them)"

    /// GETs each path in turn on one connection (curl reuses it); each answer's status code.
    static func get(_ paths: [String], socket: String) async throws -> [String] {
        let urls = paths.flatMap { ["-o", "/dev/null", "http://localhost\($0)"] }
        return try await ChildProcess.run("/usr/bin/setpriv", [
            "--reuid=\(uid)", "--regid=\(uid)", "--clear-groups", "/usr/bin/curl", "-s", "-w", "%{http_code}\\n",
            "--max-time", "60", "--unix-socket", socket,
        ] + urls).out.split(separator: "\n").map(String.init)
    }
}
