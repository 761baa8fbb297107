import ArgumentParser

/// `pillbox keys`: the data folder's keys (docs/operations.md).
struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The data folder's keys: status, rotate the data key, rewrap under a new master key.",
        discussion: """
            Exit codes: 0 done; 1 a rotation left payloads it could not open; 64 wrong arguments; \
            66 no data folder or database; 69 pillboxd not reachable; 74 an I/O error; \
            75 a rotation is already running, or pillboxd holds the data folder (rewrap); 77 not allowed (admin role); \
            78 a key is refused (wrong master key, key file mode or owner).
            """,
        subcommands: [KeysStatus.self, KeysRotate.self, KeysRewrap.self])
}
