import Foundation
import GRDB
import Logging
import PillboxModel

/// What happened to a submitted dispense.
package enum IntakeResult: Sendable, Equatable {
    /// Recorded as a new dispense (version 1).
    case created(DispenseRecord)
    /// Already recorded with the same content; nothing written. The current version.
    case replayed(DispenseRecord)
    /// The `pharmacyDispenseId` is recorded with different content; nothing written.
    case conflict(existingID: String)
    /// The `pharmacyDispenseId` is recorded, but that dispense's stored version failed its
    /// integrity check (altered or damaged on disk), so this one cannot be told a replay or a
    /// conflict; nothing written but the audit entry. The failure was logged with the id.
    case unreadable(existingID: String)

    /// The id of the dispense concerned, whatever the outcome.
    package var recordID: String {
        switch self {
        case .created(let record), .replayed(let record): record.id
        case .conflict(let id), .unreadable(let id): id
        }
    }

    /// The HTTP status the request answers with, as its audit entry records it: 201, 200 or 409.
    package var auditOutcome: Int {
        switch self {
        case .created: 201
        case .replayed: 200
        case .conflict, .unreadable: 409
        }
    }
}

/// What happened to a correction or cancellation.
package enum ChangeResult: Sendable, Equatable {
    /// A new version was recorded.
    case changed(DispenseRecord)
    /// No dispense with that id.
    case notFound
    /// The change is not allowed; the message says why, in both languages (no patient data).
    case refused(Phrase)

    /// The HTTP status the request answers with, as its audit entry records it: 201, 404 or 409.
    package var auditOutcome: Int {
        switch self {
        case .changed: 201
        case .notFound: 404
        case .refused: 409
        }
    }
}

extension Store {
    /// Records a new dispense, or recognises a replay of one already recorded.
    ///
    /// The version, its outbox entry and the request's audit entry (`audit`, naming the
    /// dispense concerned and the result's `auditOutcome`) commit together.
    package func recordDispense(_ dispense: Dispense, now: Date, audit: RequestAudit) async throws -> IntakeResult {
        try await recordDispenseAnswering(dispense, now: now, audit: audit).result
    }

    /// `recordDispense`, with what a created dispense's answer is spliced from
    /// (`RecordedIntake.createdJSON()`: the intake's 201 answer without encoding the dispense again).
    package func recordDispenseAnswering(_ dispense: Dispense, now: Date, audit: RequestAudit) async throws -> RecordedIntake {
        let keys = self.keys
        let logger = self.logger
        let prepared: PreparedIntake
        do {
            prepared = try PreparedIntake(dispense, keys: keys, now: now)
        } catch {
            // As when the sealing ran inside the write: a 503. The error's type only: its
            // description could quote the dispense.
            throw StoreError(.io, "sealing a new dispense failed (\(type(of: error)))")
        }
        let result = try await recording(audit) { db in
            try Self.intake(db, keys: keys, prepared: prepared, audit: audit, logger: logger)
        }
        return RecordedIntake(result: result, content: prepared.content)
    }

    /// The body of one intake's transaction (`recordDispense`; `bulkRecordDispenses`, the
    /// bench's seeding, runs it many times in one transaction): a new dispense's row, its
    /// sealed version 1 and pending outbox entry, or a replay, conflict or unreadable original
    /// (logged by id) that writes nothing but the request's audit entry (`audit`, naming the
    /// dispense and `auditOutcome`).
    static func intake(_ db: Database, keys: StoreKeys, prepared: PreparedIntake,
                       audit: RequestAudit, logger: Logger) throws -> IntakeResult {
        let dispense = prepared.dispense
        let result: IntakeResult
        if let existingID = try String.fetchOne(db.cachedStatement(sql: "SELECT id FROM dispense WHERE dispense_id_index = ?"),
                                                arguments: [prepared.dispenseIndex]) {
            do {
                let original = try fetchVersion(db, keys: keys, id: existingID, version: 1)
                if original?.dispense == dispense, let current = try fetchCurrent(db, keys: keys, id: existingID) {
                    result = .replayed(current)
                } else {
                    result = .conflict(existingID: existingID)
                }
            } catch let error as StoreError where error.code == .integrity {
                logIntegrityFailure(error, id: existingID, logger: logger)
                result = .unreadable(existingID: existingID)
            }
        } else {
            let id = prepared.id
            try db.cachedStatement(sql: """
                INSERT INTO dispense (id, dispense_id_index, current_version, status, patient_index, din_index,
                                      lot_index, dispensed_at, created_at)
                VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [id, prepared.dispenseIndex, DispenseStatus.completed.rawValue]
                    + prepared.indexes.arguments + [prepared.recordedAt])
            let (payload, keyID) = try prepared.sealed(keys: keys)
            let record = try insertSealedVersion(db, id: id, patientIndex: prepared.indexes.patientIndex, version: 1, status: .completed,
                                                 content: SealedContent(dispense: dispense, reason: nil), at: prepared.recordedAt,
                                                 payload: payload, keyID: keyID)
            result = .created(record)
        }
        try appendAudit(db, keys: keys, events: audit.events(at: prepared.now, outcome: result.auditOutcome, dispenseID: result.recordID))
        return result
    }

    /// Records a corrected version of a dispense.
    ///
    /// The request's audit entry is written in the same transaction, once per patient the
    /// correction touched (`auditEvents`): the patient before and after, when it changes.
    package func correctDispense(id: String, correction: DispenseParser.Correction, now: Date,
                                audit: RequestAudit) async throws -> ChangeResult {
        let keys = self.keys
        return try await recording(audit, changing: id) { db in
            let (result, previous) = try Self.change(db, keys: keys, id: id, now: now) { current in
                if current.status != .completed {
                    return .failure(Refusal(message: Phrase("the dispense is \(current.status.rawValue) and cannot be corrected",
                                                    fr: "le service est à l'état « \(current.status.rawValue) » et ne peut pas être corrigé")))
                }
                if current.dispense.pharmacyDispenseId != correction.dispense.pharmacyDispenseId {
                    return .failure(Refusal(message: Phrase("a correction cannot change pharmacyDispenseId",
                                                    fr: "une correction ne peut pas changer pharmacyDispenseId")))
                }
                return .success((.completed, SealedContent(dispense: correction.dispense, reason: correction.reason)))
            }
            try Self.appendAudit(db, keys: keys, events: Self.auditEvents(audit, now: now, previous: previous, result: result))
            return result
        }
    }

    /// Records a cancellation (or entered-in-error) as a new version.
    ///
    /// The request's audit entry, written in the same transaction, names the cancelled
    /// record's patient (`auditEvents`).
    package func cancelDispense(id: String, cancellation: DispenseParser.Cancellation, now: Date,
                               audit: RequestAudit) async throws -> ChangeResult {
        let keys = self.keys
        return try await recording(audit, changing: id) { db in
            let (result, previous) = try Self.change(db, keys: keys, id: id, now: now) { current in
                if current.status == .enteredInError {
                    return .failure(Refusal(message: Phrase("an entered-in-error dispense cannot change",
                                                    fr: "un service à l'état « entered-in-error » (inscrit par erreur) ne peut plus changer")))
                }
                if current.status == cancellation.status {
                    return .failure(Refusal(message: Phrase("the dispense is already \(current.status.rawValue)",
                                                    fr: "le service est déjà à l'état « \(current.status.rawValue) »")))
                }
                return .success((cancellation.status, SealedContent(dispense: current.dispense, reason: cancellation.reason)))
            }
            try Self.appendAudit(db, keys: keys, events: Self.auditEvents(audit, now: now, previous: previous, result: result))
            return result
        }
    }

    /// The audit entries of a change: one per patient it touched, in this order: the record's
    /// patient before the change, the patients the request named (a correction's body), the
    /// record's patient after the change; each patient once. A correction that moves a
    /// dispense to another patient thus leaves an entry for both.
    static func auditEvents(_ audit: RequestAudit, now: Date, previous: DispenseRecord?, result: ChangeResult) -> [AuditEvent] {
        var after: String?
        if case .changed(let record) = result { after = record.dispense.patient.nam }
        return audit.events(at: now, outcome: result.auditOutcome, before: previous?.dispense.patient.nam, after: after)
    }

    /// Runs a write that records `audit` in its transaction, and marks it recorded once committed.
    /// `changing`: the dispense a correction or cancellation changes; when its current version
    /// fails its integrity check, the failure is logged with that id (and thrown).
    private func recording<T: Sendable>(_ audit: RequestAudit, changing id: String? = nil,
                                        _ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let value = if let id { try await loggingIntegrity(id: id) { try await write(work) } } else { try await write(work) }
        audit.markRecorded()
        return value
    }

    private struct Refusal: Error { let message: Phrase }

    /// Applies a change; returns its result and the version it started from (nil: no such dispense).
    private static func change(_ db: Database, keys: StoreKeys, id: String, now: Date,
                               decide: (DispenseRecord) -> Result<(DispenseStatus, SealedContent), Refusal>) throws
        -> (ChangeResult, previous: DispenseRecord?) {
        guard let current = try fetchCurrent(db, keys: keys, id: id) else { return (.notFound, nil) }
        let (status, content): (DispenseStatus, SealedContent)
        switch decide(current) {
        case .failure(let refusal): return (.refused(refusal.message), current)
        case .success(let decision): (status, content) = decision
        }
        let version = current.version + 1
        let indexes = DispenseIndexes(content.dispense, keys: keys, now: now)
        try moveVersions(db, id: id, to: indexes.patientIndex)
        let record = try insertVersion(db, keys: keys, id: id, patientIndex: indexes.patientIndex, version: version, status: status,
                                       content: content, now: now)
        try db.cachedStatement(sql: """
            UPDATE dispense SET current_version = ?, status = ?, patient_index = ?, din_index = ?, lot_index = ?,
                                dispensed_at = ?
            WHERE id = ?
            """).execute(arguments: [version, status.rawValue] + indexes.arguments + [id])
        return (.changed(record), current)
    }

    /// Versions are filed under their dispense's patient (`Schema.fileVersionsByPatient`): a
    /// correction that names another patient moves the older versions with it, so that every
    /// read through the dispense row still finds them all.
    private static func moveVersions(_ db: Database, id: String, to patientIndex: Data) throws {
        try db.cachedStatement(sql: """
            UPDATE dispense_version SET patient_index = ?1
             WHERE patient_index = (SELECT patient_index FROM dispense WHERE id = ?2) AND dispense_id = ?2 AND patient_index != ?1
            """).execute(arguments: [patientIndex, id])
    }

    private static func insertVersion(_ db: Database, keys: StoreKeys, id: String, patientIndex: Data, version: Int,
                                      status: DispenseStatus, content: SealedContent, now: Date) throws -> DispenseRecord {
        let at = now.timeIntervalSince1970
        let sealer = keys.sealer
        let payload = try sealer.seal(json: content, for: .dispenseVersion(
            id: id, version: version, status: status.rawValue, recordedAt: at))
        return try insertSealedVersion(db, id: id, patientIndex: patientIndex, version: version, status: status,
                                       content: content, at: at, payload: payload, keyID: sealer.keyID)
    }

    /// Inserts a version whose `payload` is `content` sealed under data key `keyID` for its row,
    /// and its pending outbox entry.
    private static func insertSealedVersion(_ db: Database, id: String, patientIndex: Data, version: Int, status: DispenseStatus,
                                            content: SealedContent, at: Double, payload: Data, keyID: String) throws -> DispenseRecord {
        try db.cachedStatement(sql: """
            INSERT INTO dispense_version (patient_index, dispense_id, version, status, recorded_at, key_id, payload)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [patientIndex, id, version, status.rawValue, at, keyID, payload])
        try Self.enqueue(db, dispenseID: id, version: version, at: at)
        // Formatted from the stored value, so that the answer is what every later read shows
        // (the Date -> seconds-since-1970 round trip can move the last millisecond).
        return DispenseRecord(id: id, version: version, status: status, recordedAt: Timestamps.format(Date(timeIntervalSince1970: at)),
                              reason: content.reason, sync: .init(state: .pending), dispense: content.dispense)
    }
}
