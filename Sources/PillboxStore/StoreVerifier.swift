import Foundation
import GRDB
import PillboxModel

/// The checks of `pillbox verify`, run inside one read transaction (a snapshot): SQLite's own
/// check, every version's payload opened the way reads open it, the dispense rows' pointers,
/// blind indexes and clear columns against their current version, the outbox, the cached
/// central profiles and the audit chain. Problems name record ids, versions, outbox and audit
/// sequence numbers only, never content.
struct StoreVerifier {
    let db: Database
    /// Nil when the data folder's keys are missing: only SQLite's check can run.
    let keys: StoreKeys?
    let progress: (Int, Int) -> Void
    private(set) var result = StoreVerification()
    private var done = 0
    private var total = 0

    init(db: Database, keys: StoreKeys?, progress: @escaping (Int, Int) -> Void) {
        self.db = db
        self.keys = keys
        self.progress = progress
    }

    /// Runs every check.
    mutating func run() throws {
        // For the progress line only; a table too damaged to count counts as empty here (its pass reports it).
        total = ["dispense", "dispense_version", "outbox", "central_profile", "audit"].reduce(0) { sum, table in
            sum + ((try? Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)")) ?? 0)
        }
        progress(0, total)
        try guarded("its integrity_check") { try $0.checkSQLite() }
        guard let keys else {
            result.problems.append(VerifyProblem(.keys, "the data folder's key table is empty or incomplete; "
                + "restore the data folder from a backup"))
            return
        }
        try guarded("reading table dispense_version") { try $0.checkVersions(keys) }
        try guarded("reading table dispense") { try $0.checkDispenses() }
        try guarded("counting for the store summary") { try $0.checkSummary() }
        try guarded("reading table outbox") { try $0.checkOutbox(keys) }
        try guarded("reading table central_profile") { try $0.checkCentralProfiles(keys) }
        try guarded("reading table audit") { try $0.checkAudit(keys) }
        progress(done, total)
    }

    /// Runs one pass; a damaged database file (SQLite says corrupt, or not a database) ends
    /// that pass with a `sqlite` problem instead of ending the whole check, so the other
    /// tables are still checked.
    private mutating func guarded(_ what: String, _ pass: (inout StoreVerifier) throws -> Void) throws {
        do {
            try pass(&self)
        } catch let error as DatabaseError where [.SQLITE_CORRUPT, .SQLITE_NOTADB].contains(error.resultCode) {
            add(VerifyProblem(.sqlite, "SQLite could not finish \(what) (code \(error.resultCode.rawValue)): "
                + "the database file is damaged; what lies after the damage was not checked"))
        }
    }

    /// Runs the audit chain's check only.
    mutating func runAuditOnly() throws {
        total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit") ?? 0
        progress(0, total)
        guard let keys else {
            result.problems.append(VerifyProblem(.keys, "the data folder's key table is empty or incomplete; "
                + "restore the data folder from a backup"))
            return
        }
        try checkAudit(keys)
        progress(done, total)
    }

    private mutating func step() {
        done += 1
        if done % 256 == 0 { progress(done, total) }
    }

    private mutating func add(_ problem: VerifyProblem) { result.problems.append(problem) }

    /// `PRAGMA integrity_check`: one problem per line it prints other than `ok` (page and index
    /// numbers, no content).
    private mutating func checkSQLite() throws {
        for line in try String.fetchAll(db, sql: "PRAGMA integrity_check") where line != "ok" {
            add(VerifyProblem(.sqlite, "SQLite integrity_check: \(line)"))
        }
    }

    /// Opens every version through the store's read path (`Store.record(from:keys:)`), and checks
    /// the current one against its dispense row.
    private mutating func checkVersions(_ keys: StoreKeys) throws {
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT v.dispense_id, v.version, v.status, v.recorded_at, v.key_id, v.payload,
                   o.state AS sync_state, o.seq AS outbox_seq,
                   d.id AS d_id, d.current_version AS d_current, d.status AS d_status,
                   d.dispense_id_index AS d_dispense_index, d.patient_index AS d_patient, d.din_index AS d_din,
                   d.lot_index AS d_lot, d.dispensed_at AS d_dispensed_at, v.patient_index = d.patient_index AS filed_with_dispense
              FROM dispense_version v
              LEFT JOIN dispense d ON d.id = v.dispense_id
              LEFT JOIN outbox o ON o.dispense_id = v.dispense_id AND o.version = v.version
             ORDER BY v.patient_index, v.dispense_id, v.version
            """)
        let opener = PayloadOpener(sealer: keys.sealer)
        while let row = try cursor.next() {
            step()
            result.checked.versions += 1
            let id: String = row["dispense_id"]
            let version: Int = row["version"]
            if (row["d_id"] as DatabaseValue).isNull {
                add(VerifyProblem(.orphanVersion, recordId: id, version: version,
                                  "version \(version) of dispense \(id) has no dispense row"))
            } else if !(row["filed_with_dispense"] as Bool) {
                // Reads find versions under their dispense's patient: this one is lost to them.
                add(VerifyProblem(.orphanVersion, recordId: id, version: version,
                                  "version \(version) of dispense \(id) is filed under another patient than its dispense row"))
            }
            if (row["outbox_seq"] as DatabaseValue).isNull {
                add(VerifyProblem(.missingOutbox, recordId: id, version: version,
                                  "version \(version) of dispense \(id) has no outbox entry"))
            }
            let record: DispenseRecord
            do {
                record = try Store.record(from: row, opener: opener)
            } catch {
                add(VerifyProblem(.unreadableVersion, recordId: id, version: version, error.message))
                continue
            }
            if let current: Int = row["d_current"], current == version {
                checkDispenseRow(row, record: record, recordedAt: row["recorded_at"], keys: keys)
            }
        }
    }

    /// The dispense row's blind indexes and clear columns against its current version.
    private mutating func checkDispenseRow(_ row: Row, record: DispenseRecord, recordedAt: Double, keys: StoreKeys) {
        let dispense = record.dispense
        let indexes: [(String, String, Data?)] = [
            ("pharmacyDispenseId", "d_dispense_index", keys.blindIndex("pharmacyDispenseId", dispense.pharmacyDispenseId)),
            ("NAM", "d_patient", keys.blindIndex("nam", dispense.patient.nam)),
            ("DIN", "d_din", dispense.medication.din.map { keys.blindIndex("din", $0) }),
            ("lot", "d_lot", dispense.lot.map(keys.lotIndex)),
        ]
        for (field, column, expected) in indexes where (row[column] as Data?) != expected {
            add(VerifyProblem(.blindIndex, recordId: record.id, version: record.version,
                              "dispense \(record.id): its \(field) index does not match version \(record.version)"))
        }
        if (row["d_status"] as String) != record.status.rawValue {
            add(VerifyProblem(.dispenseRow, recordId: record.id, version: record.version,
                              "dispense \(record.id): its status column does not match version \(record.version)"))
        }
        let dispensedAt = dispense.whenHandedOver.flatMap(Timestamps.parseRFC3339)?.timeIntervalSince1970 ?? recordedAt
        if abs((row["d_dispensed_at"] as Double) - dispensedAt) > 0.000_001 {
            add(VerifyProblem(.dispenseRow, recordId: record.id, version: record.version,
                              "dispense \(record.id): its dispensed_at column does not match version \(record.version)"))
        }
    }

    /// Each dispense row points at its newest version, and its versions are 1, 2, … without gaps.
    private mutating func checkDispenses() throws {
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT d.id, d.current_version,
                   (SELECT MAX(version) FROM dispense_version WHERE patient_index = d.patient_index AND dispense_id = d.id) AS newest,
                   (SELECT MIN(version) FROM dispense_version WHERE patient_index = d.patient_index AND dispense_id = d.id) AS oldest,
                   (SELECT COUNT(*) FROM dispense_version WHERE patient_index = d.patient_index AND dispense_id = d.id) AS count,
                   EXISTS (SELECT 1 FROM dispense_version
                            WHERE patient_index = d.patient_index AND dispense_id = d.id AND version = d.current_version) AS present
              FROM dispense d ORDER BY d.id
            """)
        while let row = try cursor.next() {
            step()
            result.checked.dispenses += 1
            let id: String = row["id"]
            let current: Int = row["current_version"]
            let newest: Int? = row["newest"]
            let count: Int = row["count"]
            if !(row["present"] as Bool) {
                add(VerifyProblem(.currentVersion, recordId: id, version: current,
                                  "dispense \(id) points at version \(current), which does not exist"))
            } else if let newest, newest != current {
                add(VerifyProblem(.currentVersion, recordId: id, version: current,
                                  "dispense \(id) points at version \(current), not its newest (\(newest))"))
            }
            if let newest, (row["oldest"] as Int?) != 1 || count != newest {
                add(VerifyProblem(.currentVersion, recordId: id,
                                  "dispense \(id) has \(count) version(s), not numbered 1 to \(newest) without gaps"))
            }
        }
    }

    /// `store_summary` (what `/v1/status` shows) holds what counting the tables gives, and its
    /// triggers are there to keep it so. A difference means the file was written outside
    /// Pillbox: no record is affected, only the status's figures.
    private mutating func checkSummary() throws {
        let triggers = try Set(String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger'"))
        for name in Schema.storeSummaryTriggers where !triggers.contains(name) {
            add(VerifyProblem(.storeSummary, "the trigger \(name) that keeps the store summary is missing"))
        }
        guard let row = try Row.fetchOne(db, sql: "SELECT dispenses, newest_recorded_at, pending, failed FROM store_summary WHERE id = 1") else {
            add(VerifyProblem(.storeSummary, "the store summary's row is missing"))
            return
        }
        let dispenses = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM dispense") ?? 0
        let newest = try Double.fetchOne(db, sql: "SELECT MAX(recorded_at) FROM dispense_version")
        if (row["dispenses"] as Int) != dispenses {
            add(VerifyProblem(.storeSummary, "the store summary counts \(row["dispenses"] as Int) dispenses; "
                + "the table holds \(dispenses)"))
        }
        if (row["newest_recorded_at"] as Double?) != newest {
            let shown = { (time: Double?) in time.map { Timestamps.format(Date(timeIntervalSince1970: $0)) } ?? "none" }
            add(VerifyProblem(.storeSummary, "the store summary's newest recording time is \(shown(row["newest_recorded_at"])); "
                + "the newest version's is \(shown(newest))"))
        }
        for state in [SyncState.pending, .failed] {
            let counted = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE state = ?", arguments: [state]) ?? 0
            if (row[state.rawValue] as Int) != counted {
                add(VerifyProblem(.storeSummary, "the store summary counts \(row[state.rawValue] as Int) \(state.rawValue) uploads; "
                    + "the outbox holds \(counted)"))
            }
        }
    }

    /// Each outbox row refers to an existing version, has a known state, and its sealed
    /// answer (a dead letter's) opens.
    private mutating func checkOutbox(_ keys: StoreKeys) throws {
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT o.seq, o.dispense_id, o.version, o.state, o.error_payload, o.error_key_id,
                   EXISTS (SELECT 1 FROM dispense d JOIN dispense_version v ON v.patient_index = d.patient_index AND v.dispense_id = d.id
                            WHERE d.id = o.dispense_id AND v.version = o.version) AS present
              FROM outbox o ORDER BY o.seq
            """)
        let opener = PayloadOpener(sealer: keys.sealer)
        while let row = try cursor.next() {
            step()
            result.checked.outboxEntries += 1
            let seq: Int64 = row["seq"]
            let id: String = row["dispense_id"]
            let version: Int = row["version"]
            if !(row["present"] as Bool) {
                add(VerifyProblem(.outbox, recordId: id, version: version, outboxSeq: seq,
                                  "outbox entry #\(seq) refers to version \(version) of dispense \(id), which does not exist"))
            }
            if SyncState(rawValue: row["state"]) == nil {
                add(VerifyProblem(.outbox, recordId: id, version: version, outboxSeq: seq,
                                  "outbox entry #\(seq) has an unknown state"))
            }
            if let sealed: Data = row["error_payload"],
               opener.open(sealed, keyID: row["error_key_id"] ?? "", for: .outboxOutcome(seq: seq)) == nil {
                add(VerifyProblem(.unreadableOutcome, recordId: id, version: version, outboxSeq: seq,
                                  "outbox entry #\(seq): the central record's sealed answer does not open"))
            }
        }
    }

    /// Each cached central profile opens. A profile is named by when it was fetched (its key
    /// is a patient's blind index, which is not shown).
    private mutating func checkCentralProfiles(_ keys: StoreKeys) throws {
        let cursor = try Row.fetchCursor(db, sql: "SELECT patient_index, fetched_at, key_id, payload FROM central_profile ORDER BY fetched_at")
        let opener = PayloadOpener(sealer: keys.sealer)
        while let row = try cursor.next() {
            step()
            result.checked.centralProfiles += 1
            if opener.open(row["payload"], keyID: row["key_id"], for: .centralProfile(patientIndex: row["patient_index"])) == nil {
                let fetched = Timestamps.format(Date(timeIntervalSince1970: row["fetched_at"]))
                add(VerifyProblem(.unreadableProfile, "a cached central profile (fetched \(fetched)) does not open"))
            }
        }
    }

    private mutating func checkAudit(_ keys: StoreKeys) throws {
        let (entries, problems) = try AuditChain.problems(db, key: keys.auditMAC) { step() }
        result.checked.auditEntries = entries
        result.problems += problems
    }
}
