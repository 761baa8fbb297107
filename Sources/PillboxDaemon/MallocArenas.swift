import CPillboxSys

/// How many malloc arenas the daemon uses (glibc).
///
/// By default glibc gives each thread that allocates while another does an arena of its own,
/// up to eight per core, and memory freed into an arena stays with the process until that
/// arena's top is free. The daemon's threads (event loops, the Swift executor, GRDB's
/// queues, the uploader's client) touch five or six arenas in its first seconds, and the
/// uploader's first batch leaves freed pages spread over them: with a central record that
/// answers 503, about 1.5 MiB of the idle daemon's RSS (docs/performance.md, "one malloc
/// arena"). One arena costs no CPU that paired runs could see, with 16 clients writing.
public enum MallocArenas {
    /// The daemon's arena count when the environment names none.
    public static let daemonDefault: Int32 = 1

    /// Caps the arenas at `count` unless `MALLOC_ARENA_MAX` is set, which glibc has read
    /// already and which then stays in force. Call it before the daemon starts threads.
    /// Returns the cap applied, or nil when the environment's stands.
    @discardableResult
    public static func limit(to count: Int32 = daemonDefault, environment: [String: String]) -> Int32? {
        guard environment["MALLOC_ARENA_MAX"] == nil else { return nil }
        return pillbox_limit_malloc_arenas(count) == 1 ? count : nil
    }
}
