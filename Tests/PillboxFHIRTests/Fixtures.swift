import Foundation
import PillboxFHIR
import PillboxModel

/// Shared inputs of the FHIR mapping tests.
enum Fixtures {
    static let pharmacy = PharmacyIdentity(system: "https://pharmacy.example/ids/1234", pharmacyID: "1234")

    /// python3 -c "import hashlib;print('pbx-'+hashlib.sha256(b'pillbox-resource-v1|https://pharmacy.example/ids/1234|1234|PDI-0001').hexdigest()[:32])"
    static let fullID = "pbx-1dd5fcaaae89164ea4f8fd35c8138222"
    /// python3 -c "import hashlib;print('pbx-'+hashlib.sha256(b'pillbox-resource-v1|https://pharmacy.example/ids/1234|1234|PDI-0002').hexdigest()[:32])"
    static let minimalID = "pbx-b8e22c2d54bee684e0abb48aea27530c"

    /// A dispense with every field set.
    static let fullDispense = Dispense(
        pharmacyDispenseId: "PDI-0001",
        patient: .init(nam: "TREM50020312", familyName: "Tremblay", givenName: "Marie", birthDate: "1950-02-03"),
        medication: .init(din: "02242903", display: "Metformin 500 mg tablet", strength: "500 mg", form: "tablet"),
        quantity: .init(value: 60, unit: "tablet"),
        daysSupply: 30,
        dosageText: "1 tablet twice daily with meals",
        prescriber: .init(license: "1234567", familyName: "Gagnon", givenName: "Luc"),
        pharmacist: .init(license: "PH-998"),
        prescriptionId: "RX-0001",
        lot: "L123",
        whenHandedOver: "2026-11-20T10:00:00-05:00",
        note: "Counselled on side effects")

    /// A dispense with only the required fields.
    static let minimalDispense = Dispense(
        pharmacyDispenseId: "PDI-0002", patient: .init(nam: "TREM50020312"),
        medication: .init(din: "02242903", display: "Metformin"))

    /// A stored version of `dispense`.
    static func record(_ dispense: Dispense, version: Int = 1, status: DispenseStatus = .completed,
                       reason: String? = nil) -> DispenseRecord {
        DispenseRecord(id: "5f0c6a2e-9d1b-4f0e-8a43-0c1d2e3f4a5b", version: version, status: status,
                       recordedAt: "2026-11-20T15:00:00.000Z", reason: reason, sync: .init(state: .pending),
                       dispense: dispense)
    }

    /// Decodes JSON text as a `JSONValue`.
    static func json(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    /// Encodes a `JSONValue` as compact JSON with sorted keys.
    static func text(_ value: JSONValue) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// The keys of a JSON object (empty for anything else).
    static func keys(_ value: JSONValue) -> Set<String> {
        if case .object(let members) = value { return Set(members.keys) }
        return []
    }

    /// `value` with the top-level member `key` set to `member` (removed when nil).
    static func setting(_ key: String, _ member: JSONValue?, in value: JSONValue) -> JSONValue {
        guard case .object(var members) = value else { return value }
        members[key] = member
        return .object(members)
    }
}

extension JSONValue {
    /// The member `key` of an object.
    subscript(member key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The element at `index` of an array.
    subscript(index index: Int) -> JSONValue? {
        if case .array(let elements) = self, elements.indices.contains(index) { return elements[index] }
        return nil
    }
}
