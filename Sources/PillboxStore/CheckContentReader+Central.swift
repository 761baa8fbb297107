import PillboxModel

/// The central dispenses of a cached profile, read for the checks the way `read(_:)` reads a
/// version: an entry answers only when every member it keeps is understood (no escapes, the
/// wanted types, no key twice), and otherwise goes to `JSONDecoder` as before. `JSONDecoder`
/// of 50 entries was 23% of a check's CPU at 1M records (docs/performance.md).
extension CheckContentReader {
    /// One cached entry (`CentralDispense`'s members and the profile's `source`), or nil when
    /// these bytes need `JSONDecoder`.
    static func readCentral(_ json: [UInt8]) -> CentralDispense? {
        json.withUnsafeBufferPointer { buffer in
            var reader = CheckContentReader(buffer)
            guard let dispense = reader.centralDispense() else { return nil }
            reader.skipSpace()
            return reader.at == buffer.count ? dispense : nil
        }
    }

    /// `CentralDispense`'s text members, in the order of their bits in `seen`; `medication`,
    /// `quantity` and `daysSupply` take bits 10, 11 and 12.
    private static let centralTextKeys: [StaticString] = [
        "resourceID", "identifierSystem", "identifierValue", "status", "dosageText", "whenHandedOver", "performerLicense",
        "lastUpdated", "prescriptionId", "pharmacy",
    ]

    private mutating func centralDispense() -> CentralDispense? {
        var text = [String?](repeating: nil, count: 10)
        var medication: Dispense.Medication?, quantity: Dispense.Quantity?, daysSupply: Int?
        var seen: UInt16 = 0
        let ok = members { reader, key in
            let field: Int
            if let index = Self.centralTextKeys.firstIndex(where: { key == $0 }) {
                field = index
            } else if key == "medication" {
                field = 10
            } else if key == "quantity" {
                field = 11
            } else if key == "daysSupply" {
                field = 12
            } else {
                return reader.skipValue(depth: 1)
            }
            guard seen & (1 << field) == 0 else { return false }
            seen |= 1 << field
            // A null leaves the member absent, as `decodeIfPresent` does; a null where a value
            // is required leaves it missing, and the entry goes to `JSONDecoder`.
            if reader.null() { return true }
            switch field {
            case 10:
                medication = reader.centralMedication()
                return medication != nil
            case 11:
                quantity = reader.centralQuantity()
                return quantity != nil
            case 12:
                daysSupply = reader.integer()
                return daysSupply != nil
            default:
                text[field] = reader.string()
                return text[field] != nil
            }
        }
        guard ok, let id = text[0], let status = text[3], let medication else { return nil }
        return CentralDispense(resourceID: id, identifierSystem: text[1], identifierValue: text[2], status: status,
                               medication: medication, quantity: quantity, daysSupply: daysSupply, dosageText: text[4],
                               whenHandedOver: text[5], performerLicense: text[6], lastUpdated: text[7],
                               prescriptionId: text[8], pharmacy: text[9])
    }

    private static let medicationKeys: [StaticString] = ["din", "code", "codeSystem", "display", "strength", "form", "substanceCode"]

    private mutating func centralMedication() -> Dispense.Medication? {
        var text = [String?](repeating: nil, count: 7)
        var seen: UInt8 = 0
        let ok = members { reader, key in
            guard let field = Self.medicationKeys.firstIndex(where: { key == $0 }) else { return reader.skipValue(depth: 2) }
            guard seen & (1 << field) == 0 else { return false }
            seen |= 1 << field
            if reader.null() { return true }
            text[field] = reader.string()
            return text[field] != nil
        }
        guard ok, let display = text[3] else { return nil }
        return Dispense.Medication(din: text[0], code: text[1], codeSystem: text[2], display: display, strength: text[4],
                                   form: text[5], substanceCode: text[6])
    }

    private mutating func centralQuantity() -> Dispense.Quantity? {
        var value: Double?, unit: String?
        var seen: UInt8 = 0
        let ok = members { reader, key in
            let field = key == "value" ? 0 : key == "unit" ? 1 : -1
            guard field >= 0 else { return reader.skipValue(depth: 2) }
            guard seen & (1 << field) == 0 else { return false }
            seen |= 1 << field
            if reader.null() { return true }
            if field == 1 {
                unit = reader.string()
                return unit != nil
            }
            guard let range = reader.numberRange(),
                  let parsed = Double(String(decoding: reader.bytes[range], as: UTF8.self)), parsed.isFinite else { return false }
            value = parsed
            return true
        }
        guard ok, let value else { return nil }
        return Dispense.Quantity(value: value, unit: unit)
    }
}
