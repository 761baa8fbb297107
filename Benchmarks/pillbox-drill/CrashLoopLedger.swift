import Foundation
import PillboxCrypto

/// What the crash-loop drill knows about the dispenses it recorded: for each one, the latest
/// acknowledged version and a digest of its content; and the corrections whose answer a kill
/// cut off, which may or may not have committed. Holds only drill-made sample data.
actor CrashLoopLedger {
    /// One dispense the drill recorded and saw acknowledged.
    struct Entry: Sendable {
        var writer: Int
        var pharmacyDispenseID: String
        var nam: String
        /// The latest acknowledged version.
        var version: Int
        /// SHA-256 of each field of the acknowledged record's JSON (`sync` left out).
        var digest: [String: [UInt8]]
        /// A correction to `version + 1` whose answer was lost, and the note it carried.
        var cut: (version: Int, note: String)?
    }

    private(set) var entries: [String: Entry] = [:]
    private var byWriter: [Int: [String]] = [:]
    /// Dispenses created or changed (or cut) since the last `takeTouched()`.
    private var touched = Set<String>()
    private(set) var ackedCreates = 0
    private(set) var ackedCorrections = 0
    private(set) var cutCreates = 0
    private(set) var cutCorrections = 0
    /// Cut corrections found committed after the restart, and found not made.
    private(set) var cutFoundCommitted = 0
    private(set) var cutFoundAbsent = 0
    /// Answers other than 201 from a daemon that was running (never expected).
    private(set) var unexpected: [String] = []

    var ackedWrites: Int { ackedCreates + ackedCorrections }

    /// The content digest of a record as the API returns it: one SHA-256 per top-level field
    /// (its JSON, keys sorted), so that a mismatch can name the fields without showing them.
    static func digest(_ record: [String: Any]) -> [String: [UInt8]] {
        var digest: [String: [UInt8]] = [:]
        for (key, value) in record where key != "sync" {
            let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])) ?? Data()
            digest[key] = SHA256Digest.hash(Array(data))
        }
        return digest
    }

    /// The fields whose digests differ (names only).
    static func differingFields(_ a: [String: [UInt8]], _ b: [String: [UInt8]]) -> [String] {
        Set(a.keys).union(b.keys).filter { a[$0] != b[$0] }.sorted()
    }

    /// A write's answer without the dispensing checks' members (`findings`, `coverage`,
    /// `skippedChecks`): what remains is the recorded version, as `GET /v1/dispenses/{id}` gives it.
    static func recordOnly(_ answer: [String: Any]) -> [String: Any] {
        answer.filter { !["findings", "coverage", "skippedChecks"].contains($0.key) }
    }

    func created(id: String, writer: Int, pharmacyDispenseID: String, nam: String, record: [String: Any]) {
        entries[id] = Entry(writer: writer, pharmacyDispenseID: pharmacyDispenseID, nam: nam, version: 1,
                            digest: Self.digest(Self.recordOnly(record)))
        byWriter[writer, default: []].append(id)
        touched.insert(id)
        ackedCreates += 1
    }

    func corrected(id: String, version: Int, record: [String: Any]) {
        entries[id]?.version = version
        entries[id]?.digest = Self.digest(Self.recordOnly(record))
        touched.insert(id)
        ackedCorrections += 1
    }

    func entry(_ id: String) -> Entry? {
        entries[id]
    }

    var allIDs: [String] { Array(entries.keys) }

    func createCut() {
        cutCreates += 1
    }

    func correctionCut(id: String, version: Int, note: String) {
        entries[id]?.cut = (version, note)
        touched.insert(id)
        cutCorrections += 1
    }

    func unexpectedAnswer(_ what: String) {
        unexpected.append(what)
    }

    /// One of `writer`'s acknowledged dispenses, picked with `random` (in 0..<count), if any.
    func ownDispense(writer: Int, random: Int) -> (id: String, entry: Entry)? {
        guard let ids = byWriter[writer], !ids.isEmpty else { return nil }
        let id = ids[random % ids.count]
        return entries[id].map { (id, $0) }
    }

    func takeTouched() -> [String] {
        defer { touched.removeAll() }
        return Array(touched)
    }

    /// After a restart: a cut correction was found committed (adopt it) or not made (forget it).
    func resolveCut(id: String, committed record: [String: Any]?) {
        guard let cut = entries[id]?.cut else { return }
        entries[id]?.cut = nil
        if let record {
            entries[id]?.version = cut.version
            entries[id]?.digest = Self.digest(Self.recordOnly(record))
            cutFoundCommitted += 1
        } else {
            cutFoundAbsent += 1
        }
    }
}
