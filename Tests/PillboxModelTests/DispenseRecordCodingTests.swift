import Foundation
import PillboxModel
import Testing

@Suite("Dispense record JSON")
struct DispenseRecordCodingTests {
    static let dispense = Dispense(
        pharmacyDispenseId: "PDI-0002", patient: .init(nam: "TREM50020312"),
        medication: .init(din: "02242903", display: "Metformin"), quantity: .init(value: 60, unit: "tablet"))

    func encode(_ record: DispenseRecord) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(record), as: UTF8.self)
    }

    @Test("A record encodes flat: the dispense fields sit beside id, version, status, recordedAt, reason and sync")
    func recordEncodesFlat() throws {
        let record = DispenseRecord(id: "5f0c6a2e-9d1b-4f0e-8a43-0c1d2e3f4a5b", version: 2, status: .cancelled,
                                    recordedAt: "2026-11-20T15:00:00.000Z", reason: "Returned",
                                    sync: .init(state: .pending), dispense: Self.dispense)
        #expect(try encode(record) == #"""
            {"id":"5f0c6a2e-9d1b-4f0e-8a43-0c1d2e3f4a5b","medication":{"din":"02242903","display":"Metformin"},\#
            "patient":{"nam":"TREM50020312"},"pharmacyDispenseId":"PDI-0002","quantity":{"unit":"tablet","value":60},\#
            "reason":"Returned","recordedAt":"2026-11-20T15:00:00.000Z","status":"cancelled","sync":{"state":"pending"},\#
            "version":2}
            """#)
    }

    @Test("A record without reason leaves the key out, and a full record has every top-level key")
    func keysOfAFullRecord() throws {
        let record = DispenseRecord(id: "a", version: 1, status: .enteredInError, recordedAt: "2026-11-20T15:00:00.000Z",
                                    reason: nil, sync: .init(state: .failed), dispense: JSONBodies.fullDispense)
        let json = try encode(record)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(Set(object.keys) == [
            "id", "version", "status", "recordedAt", "sync",
            "pharmacyDispenseId", "patient", "medication", "quantity", "daysSupply", "dosageText", "prescriber",
            "pharmacist", "prescriptionId", "lot", "whenHandedOver", "note",
        ])
        #expect(object["status"] as? String == "entered-in-error")
        #expect((object["sync"] as? [String: Any])?["state"] as? String == "failed")
    }

    @Test("A record round-trips through JSONEncoder and JSONDecoder")
    func recordRoundTrips() throws {
        for record in [
            DispenseRecord(id: "a", version: 3, status: .cancelled, recordedAt: "2026-11-20T15:00:00.123Z",
                           reason: "Returned", sync: .init(state: .sent), dispense: JSONBodies.fullDispense),
            DispenseRecord(id: "b", version: 1, status: .completed, recordedAt: "2026-11-20T15:00:00.000Z",
                           reason: nil, sync: .init(state: .pending), dispense: Self.dispense),
        ] {
            let data = try JSONEncoder().encode(record)
            #expect(try JSONDecoder().decode(DispenseRecord.self, from: data) == record)
        }
    }

    @Test("Decoding a record without its sync state fails")
    func decodingRequiresSync() throws {
        let text = #"{"id":"a","version":1,"status":"completed","recordedAt":"x","pharmacyDispenseId":"P","patient":{"nam":"TREM50020312"},"medication":{"display":"M"}}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(DispenseRecord.self, from: Data(text.utf8)) }
    }
}
