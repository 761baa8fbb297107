import CPillboxSys

/// How many malloc arenas the daemon uses (glibc).
///
/// By default glibc gives each thread an arena of its own at its first allocation, up to
/// eight per core, and memory freed into an arena stays with the process until that arena's
/// top is free. The daemon's threads (event loops, Swift's executor, GRDB's queues, the
/// uploader's client) made seven besides the main one in its first seconds, and the uploader's
/// first batch left freed pages spread over them: with a central record that answers 503,
/// about 1.5 MiB of the idle daemon's RSS (docs/performance.md, "one malloc arena"). One arena
/// cost no CPU that paired runs could see, 16 clients writing included.
package enum MallocArenas {
    /// Caps malloc at one arena unless `MALLOC_ARENA_MAX` is set, which glibc has read already
    /// and which then stands. Call it before the process starts a thread: the cap only holds
    /// for arenas not yet made. If glibc refuses, its default stays.
    package static func limitToOne(environment: [String: String]) {
        guard environment["MALLOC_ARENA_MAX"] == nil else { return }
        _ = pillbox_limit_malloc_arenas(1)
    }
}
