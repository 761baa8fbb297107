import Foundation
import GRDB
import Logging
import PillboxModel

/// Reads answered as ready bytes: the opened payload's members spliced beside the clear
/// columns (`SealedJSON`), never decoded into `Dispense` and encoded again. Every check of the
/// decoding reads stays: the row binding (AES-GCM with the row's clear columns), the data key,
/// the newest-version check, unknown statuses; a row that fails any of them is flagged in its
/// place in a listing, or fails the single read, exactly as `profile` and `dispense(id:)` do.
extension Store {
    /// `profile(nam:since:limit:)` as answer bytes: each readable entry is its `DispenseRecord`
    /// object with the members `extra` (sorted keys, e.g. `source`) added.
    package func profileAnswer(nam: String, since: Date?, limit: Int,
                               extra: [(key: StaticString, value: StaticString)] = []) async throws -> AnswerListing {
        let (keys, logger) = (self.keys, self.logger)
        return try shortRead { db in
            // One OpenSSL context per data key for the whole listing, not one per payload.
            let opener = PayloadOpener(sealer: keys.sealer)
            typealias C = ListingColumn
            let listing = try Self.patientListing(db, keys: keys, nam: nam, since: since, limit: limit, logger: logger,
                                                  entry: { row, id, version throws(StoreError) in
                .record(try Self.recordJSON(id: id, version: version, status: row[C.status], recordedAt: row[C.recordedAt],
                                            keyID: row[C.keyID], payload: row[C.payload], syncState: row[C.syncState],
                                            opener: opener, extra: extra))
            }, flag: ListedAnswer.unreadable)
            return AnswerListing(entries: listing.entries, dispensedAt: listing.dispensedAt.map(Date.init(timeIntervalSince1970:)))
        }
    }

    /// `dispense(id:)` as answer bytes, or nil when there is no such dispense.
    package func dispenseAnswer(id: String) async throws -> RecordJSON? {
        let keys = self.keys
        return try await loggingIntegrity(id: id) {
            try shortRead { db -> RecordJSON? in
                guard let row = try Self.currentRow(db, id: id) else { return nil }
                typealias C = ListingColumn
                return try Self.recordJSON(id: id, version: row[C.version], status: row[C.status], recordedAt: row[C.recordedAt],
                                           keyID: row[C.keyID], payload: row[C.payload], syncState: row[C.syncState],
                                           opener: PayloadOpener(sealer: keys.sealer), extra: [])
            }
        }
    }

    /// The answer bytes of one version, with the checks of `record(from:keys:)`; `opener` opens
    /// the payload (made from the store's sealer for this read).
    static func recordJSON(id: String, version: Int, status statusText: String, recordedAt: Double, keyID: String,
                           payload: Data, syncState: String?, opener: PayloadOpener,
                           extra: [(key: StaticString, value: StaticString)]) throws(StoreError) -> RecordJSON {
        guard opener.knows(keyID: keyID) else {
            throw StoreError(.integrity, "dispense \(id) version \(version) names an unknown data key")
        }
        guard let plain = opener.open(payload, keyID: keyID, for: .dispenseVersion(
            id: id, version: version, status: statusText, recordedAt: recordedAt)) else {
            throw StoreError(.integrity, "dispense \(id) version \(version) failed authentication; the row was altered or moved")
        }
        // A version without an outbox entry (none is ever removed) reads as pending.
        let syncText = syncState ?? SyncState.pending.rawValue
        guard let status = DispenseStatus(rawValue: statusText), let sync = SyncState(rawValue: syncText) else {
            throw StoreError(.integrity, "dispense \(id) version \(version) has an unknown status or sync state")
        }
        guard let content = SealedContentBytes(plain) else {
            throw StoreError(.integrity, "dispense \(id) version \(version) does not hold a readable dispense")
        }
        return recordJSON(id: id, version: version, status: status, recordedAt: Timestamps.format(Date(timeIntervalSince1970: recordedAt)),
                          sync: sync, content: content, extra: extra)
    }

    /// The answer bytes of one version whose payload is open (`content`): `DispenseRecord`'s
    /// members as `JSONCoding.encoder` writes them, `extra` added.
    static func recordJSON(id: String, version: Int, status: DispenseStatus, recordedAt: String, sync: SyncState,
                           content: SealedContentBytes, extra: [(key: StaticString, value: StaticString)]) -> RecordJSON {
        let plain = content.bytes
        // The clear members' values, one after the other in one buffer.
        var values: [UInt8] = []
        values.reserveCapacity(160)
        var clear = ClearMembers(capacity: 7 + extra.count)
        clear.append("id", from: &values) { JSONBytes.appendString(id, to: &$0) }
        if let reason = content.reason { clear.append("reason", from: &values) { $0.append(contentsOf: plain[reason]) } }
        clear.append("recordedAt", from: &values) { JSONBytes.appendString(recordedAt, to: &$0) }
        clear.append("status", from: &values) { JSONBytes.appendString(status.rawValue, to: &$0) }
        clear.append("sync", from: &values) {
            $0.append(contentsOf: #"{"state":"#.utf8)
            JSONBytes.appendString(sync.rawValue, to: &$0)
            $0.append(UInt8(ascii: "}"))
        }
        clear.append("version", from: &values) { JSONBytes.appendInt(version, to: &$0) }
        for member in extra {
            clear.append(member.key, from: &values) { JSONBytes.appendString(member.value, to: &$0) }
        }
        return RecordJSON(bytes: content.object(values: values, clear: clear), pharmacyDispenseId: content.pharmacyDispenseId,
                          nam: content.nam)
    }
}
