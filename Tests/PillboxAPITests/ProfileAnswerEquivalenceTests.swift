import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Logging
import PillboxAPI
import PillboxCrypto
import PillboxModel
import PillboxStore
import PillboxTestSupport
import PillboxWire
import Prometheus
import Testing

/// A central record stand-in with varied entries: every optional field, none, text that
/// needs escaping, dates only in `lastUpdated`, no date at all, a time equal to a local fill.
struct VariedCentral: CentralRecordView {
    static let asOf = Date(timeIntervalSince1970: 1_795_000_000.125)

    func status() -> CentralStatus { CentralStatus(configured: true) }

    func profile(nam: String, localDispenseIDs: Set<String>) async -> CentralProfile {
        CentralProfile(dispenses: [
            CentralDispense(resourceID: "c-full", identifierSystem: "https://other.example/ids", identifierValue: "THEIRS-1",
                            status: "completed",
                            medication: .init(din: "00000019", code: "X1", codeSystem: "urn:x", display: "Amoxicilline « 500 » \"caps\" \\ é 💊",
                                              strength: "500 mg", form: "capsule", substanceCode: "J01CA04"),
                            quantity: .init(value: 2.5, unit: "mL"), daysSupply: 10, dosageText: "1 cap\tthree times\nper day",
                            whenHandedOver: "2026-05-01T12:00:00Z", performerLicense: "LIC-9", lastUpdated: "2026-05-02T00:00:00Z",
                            prescriptionId: "RX/77", pharmacy: "Pharmacie d'en face"),
            CentralDispense(resourceID: "c-min", status: "completed", medication: .init(display: "Minimal")),
            CentralDispense(resourceID: "c-updated-only", status: "in-progress", medication: .init(display: "Updated only"),
                            lastUpdated: "2026-07-04T08:30:00.250-04:00"),
            CentralDispense(resourceID: "c-same-time", status: "completed", medication: .init(din: "02242903", display: "Tie"),
                            quantity: .init(value: 30), whenHandedOver: "2026-03-01T09:00:00Z"),
            CentralDispense(resourceID: "c-control", status: "completed", medication: .init(display: "Ctl \u{01}\u{1F}\u{7F} end"),
                            whenHandedOver: "2026-01-15T00:00:00+00:00"),
        ], reachable: false, asOf: Self.asOf)
    }

    func cachedProfile(nam: String, localDispenseIDs: Set<String>) async -> CentralProfile {
        await profile(nam: nam, localDispenseIDs: localDispenseIDs)
    }

    func requestSync() {}
}

/// The profile answer assembled from ready bytes must be what the decode-and-encode path
/// answered: the same `ProfileResponse`, entry by entry, in the same order, and the same bytes.
@Suite("Profile answer from ready bytes, against the Codable path")
struct ProfileAnswerEquivalenceTests {
    static let nam = "TREM50020312"
    static let quiet = Logger(label: "pillbox.tests", factory: { _ in SwiftLogNoOpLogHandler() })
    static let audit = RequestAudit(uid: 1000, pid: 4242, role: "dispenser", action: "dispense.create")
    static let now = Date(timeIntervalSince1970: 1_795_000_000)
    /// Quotes, backslashes, a slash, accents, an emoji, control characters and a tab.
    static let awkward = "He said \"stop\" \\ now / é 💊 \u{01}\u{1F} tab\there\nline {\"k\":[1,2]}"

    static func dispense(_ id: String, handedOver: String?, full: Bool) -> Dispense {
        guard full else {
            return Dispense(pharmacyDispenseId: id, patient: .init(nam: nam), medication: .init(display: "Plain"),
                            whenHandedOver: handedOver)
        }
        return Dispense(pharmacyDispenseId: id, patient: .init(nam: nam, familyName: "Tremblay \"Tí\"", givenName: "Marie-Ève",
                                                               birthDate: "1950-02-03"),
                        medication: .init(din: "02242903", code: "C1", codeSystem: "urn:c", display: "Metformin \\ 500 mg « comprimé »",
                                          strength: "500 mg", form: "tablet", substanceCode: "A10BA02"),
                        quantity: .init(value: 0.5, unit: "tablet"), daysSupply: 30, dosageText: awkward,
                        prescriber: .init(license: "1234567", familyName: "Gagnon", givenName: "Luc"),
                        pharmacist: .init(license: "PH-998"), prescriptionId: "RX/\(id)", lot: "L-\(id)",
                        whenHandedOver: handedOver, note: awkward)
    }

    /// A store of varied records, three of them made unreadable; returns its path and key.
    static func seed(_ directory: TemporaryDirectory) async throws -> (path: String, key: SecretKey, ids: [String: String]) {
        let path = directory.file("pillbox.sqlite")
        let key = SecretKey.random()
        let store = try Store.open(path: path, masterKey: key, logger: quiet)
        var ids: [String: String] = [:]
        func create(_ id: String, _ handedOver: String?, full: Bool = true) async throws {
            guard case .created(let record) = try await store.recordDispense(dispense(id, handedOver: handedOver, full: full),
                                                                              now: now, audit: audit) else {
                Issue.record("not created")
                return
            }
            ids[id] = record.id
        }
        try await create("FULL", "2026-02-01T10:00:00-05:00")
        try await create("MIN", "2026-02-10T10:00:00Z", full: false)
        try await create("NOTIME", nil, full: false)
        try await create("TIE-A", "2026-03-01T09:00:00Z")
        try await create("TIE-B", "2026-03-01T09:00:00Z", full: false)
        try await create("CORRECTED", "2026-04-01T09:00:00.5Z")
        try await create("CANCELLED", "2026-04-02T09:00:00Z")
        try await create("ERROR", "2026-04-03T09:00:00Z")
        try await create("FLIPPED", "2026-06-01T09:00:00Z")
        try await create("MISSING", "2026-06-02T09:00:00Z")
        try await create("SENT", "2026-06-03T09:00:00+02:00", full: false)
        try await create("STALE", "2026-06-04T09:00:00Z")
        let change = RequestAudit(uid: 1000, pid: 4242, role: "dispenser", action: "dispense.change")
        var corrected = dispense("CORRECTED", handedOver: "2026-04-01T09:00:00.5Z", full: true)
        corrected.quantity = .init(value: 90, unit: nil)
        corrected.note = nil
        _ = try await store.correctDispense(id: ids["CORRECTED"]!, correction: .init(dispense: corrected, reason: awkward),
                                            now: now.addingTimeInterval(1), audit: change)
        _ = try await store.cancelDispense(id: ids["CANCELLED"]!, cancellation: .init(reason: "patient refused « non »", status: .cancelled),
                                           now: now.addingTimeInterval(2), audit: change)
        _ = try await store.cancelDispense(id: ids["ERROR"]!, cancellation: .init(reason: "wrong patient", status: .enteredInError),
                                           now: now.addingTimeInterval(3), audit: change)
        _ = try await store.correctDispense(id: ids["STALE"]!, correction: .init(dispense: dispense("STALE", handedOver: "2026-06-04T09:00:00Z",
                                                                                                   full: false), reason: "second"),
                                            now: now.addingTimeInterval(4), audit: change)
        try store.close()

        let queue = try DatabaseQueue(path: path)
        try await queue.write { [ids] db in
            var payload = try #require(try Data.fetchOne(db, sql: "SELECT payload FROM dispense_version WHERE dispense_id = ?",
                                                         arguments: [ids["FLIPPED"]!]))
            payload[payload.startIndex + payload.count / 2] ^= 0x01
            try db.execute(sql: "UPDATE dispense_version SET payload = ? WHERE dispense_id = ?", arguments: [payload, ids["FLIPPED"]!])
            try db.execute(sql: "UPDATE dispense SET current_version = 7 WHERE id = ?", arguments: [ids["MISSING"]!])
            try db.execute(sql: "UPDATE outbox SET state = 'sent' WHERE dispense_id = ?", arguments: [ids["SENT"]!])
            // Pointed back at its first version while a second exists: "not its newest".
            try db.execute(sql: "UPDATE dispense SET current_version = 1 WHERE id = ?", arguments: [ids["STALE"]!])
        }
        try queue.close()
        return (path, key, ids)
    }

    /// The answer as the route built it before: `Store.profile` and `CentralRecordView.profile`
    /// merged into `ProfileResponse`, encoded by `JSONCoding.encoder`.
    static func codableAnswer(store: Store, central: some CentralRecordView, since: Date?, limit: Int) async throws -> Data {
        let listing = try await store.profile(nam: nam, since: since, limit: limit)
        let part = await central.profile(nam: nam, localDispenseIDs: Set(listing.records.map(\.dispense.pharmacyDispenseId)))
        var entries: [(at: Date, entry: ProfileEntry)] = listing.entries.enumerated().map { index, listed in
            switch listed {
            case .record(let record): (listing.dispensedAt[index], .local(record))
            case .unreadable(let flag): (flag.dispensedAt, .unreadable(UnreadableEntry(id: flag.id, version: flag.version, source: "local")))
            }
        }
        for dispense in part.dispenses {
            let at = dispense.sortDate
            if since.map({ at >= $0 }) ?? true { entries.append((at, .central(dispense))) }
        }
        entries.sort { $0.at > $1.at }
        let medications = entries.prefix(limit).map(\.entry)
        return try JSONCoding.encoder.encode(ProfileResponse(
            nam: nam, medications: medications,
            unreadableEntries: medications.filter { if case .unreadable = $0 { true } else { false } }.count,
            central: .init(configured: part.configured, reachable: part.reachable, asOf: part.asOf.map(Timestamps.format))))
    }

    @Test("Varied records (corrections, cancellations, awkward text, absent fields, unreadable rows) and central entries: the same answer, entry by entry, in the same order, byte for byte")
    func sameAnswerAsCodable() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (path, key, ids) = try await Self.seed(directory)
        let store = try Store.open(path: path, masterKey: key, logger: Self.quiet)
        defer { try? store.close() }
        let central = VariedCentral()
        let dependencies = APIDependencies(
            store: store, auditLog: AuditLog(store: store), roles: RoleTable(users: [0: .admin]),
            registry: PrometheusCollectorRegistry(), version: "test", central: central,
            peerCredentials: { _ in APIHarness.root })
        let cases: [(query: String, since: Date?, limit: Int)] = [
            ("", nil, 200),
            ("?limit=5", nil, 5),
            ("?since=2026-03-01", Timestamps.parseDate("2026-03-01", timeZone: .current), 200),
            ("?since=2026-04-01&limit=3", Timestamps.parseDate("2026-04-01", timeZone: .current), 3),
        ]
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            for item in cases {
                let response = try await client.get("/v1/patients/\(Self.nam)/medications\(item.query)")
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                let new = Data(buffer: response.body)
                let old = try await Self.codableAnswer(store: store, central: central, since: item.since, limit: item.limit)
                let newAnswer = try JSONCoding.decoder.decode(ProfileResponse.self, from: new)
                let oldAnswer = try JSONCoding.decoder.decode(ProfileResponse.self, from: old)
                #expect(newAnswer.medications.count == oldAnswer.medications.count, "\(item.query)")
                for (index, (a, b)) in zip(newAnswer.medications, oldAnswer.medications).enumerated() {
                    #expect(a == b, "\(item.query) entry \(index)")
                }
                #expect(newAnswer == oldAnswer, "\(item.query)")
                #expect(new == old, "\(item.query): the bytes differ")
            }
            // What the whole profile holds, in order (entered in error left out, flags in place).
            let whole = try JSONCoding.decoder.decode(ProfileResponse.self, from: Data(buffer: try await client.get(
                "/v1/patients/\(Self.nam)/medications").body))
            let order = whole.medications.map { entry -> String in
                switch entry {
                case .local(let record): record.dispense.pharmacyDispenseId
                case .central(let dispense): dispense.resourceID
                case .unreadable(let flag): "unreadable:" + (ids.first { $0.value == flag.id }?.key ?? "?")
                }
            }
            let ties = [ids["TIE-A"]!, ids["TIE-B"]!].sorted(by: >).map { id in ids.first { $0.value == id }!.key }
            #expect(order == ["NOTIME", "c-updated-only", "unreadable:STALE", "SENT", "unreadable:MISSING", "unreadable:FLIPPED", "c-full", "CANCELLED", "CORRECTED"]
                + ties + ["c-same-time", "MIN", "FULL", "c-control", "c-min"], "\(order)")
            #expect(whole.unreadableEntries == 3)
        }
    }

    @Test("The single read answers the same record, byte for byte, and a missing or tampered one as before")
    func singleReadSameAsCodable() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (path, key, ids) = try await Self.seed(directory)
        let store = try Store.open(path: path, masterKey: key, logger: Self.quiet)
        defer { try? store.close() }
        let dependencies = APIDependencies(
            store: store, auditLog: AuditLog(store: store), roles: RoleTable(users: [0: .admin]),
            registry: PrometheusCollectorRegistry(), version: "test",
            peerCredentials: { _ in APIHarness.root })
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            for name in ["FULL", "MIN", "NOTIME", "CORRECTED", "CANCELLED", "ERROR", "SENT"] {
                let id = try #require(ids[name])
                let response = try await client.get("/v1/dispenses/\(id)")
                #expect(response.status == .ok, "\(name)")
                let record = try #require(try await store.dispense(id: id))
                #expect(Data(buffer: response.body) == (try JSONCoding.encoder.encode(record)), "\(name)")
                #expect(try JSONCoding.decoder.decode(DispenseRecord.self, from: Data(buffer: response.body)) == record, "\(name)")
            }
            #expect(try await client.get("/v1/dispenses/\(ids["FLIPPED"]!)").status == .internalServerError)
            #expect(try await client.get("/v1/dispenses/\(ids["MISSING"]!)").status == .internalServerError)
            #expect(try await client.get("/v1/dispenses/\(ids["STALE"]!)").status == .internalServerError)
            #expect(try await client.get("/v1/dispenses/00000000-0000-0000-0000-000000000000").status == .notFound)
        }
    }
}
