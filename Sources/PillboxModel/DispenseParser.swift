import Foundation

/// Turns request bodies into validated domain values, refusing unknown fields.
package struct DispenseParser: Sendable {
    package var limits: ValidationLimits

    package init(limits: ValidationLimits = .standard) { self.limits = limits }

    static let dispenseFields: Set<String> = [
        "pharmacyDispenseId", "patient", "medication", "quantity", "daysSupply", "dosageText",
        "prescriber", "pharmacist", "prescriptionId", "lot", "whenHandedOver", "note",
    ]

    /// Parses the body of `POST /v1/dispenses`.
    package func dispense(from body: JSONValue, now: Date) -> Result<Dispense, ValidationError> {
        var reader = FieldReader(limits: limits)
        let parsed = readDispense(body, extraFields: [], now: now, reader: &reader)
        return finish(parsed, reader)
    }

    /// A correction: the full corrected dispense plus why it was corrected.
    package struct Correction: Sendable, Equatable {
        package var dispense: Dispense
        package var reason: String

        package init(dispense: Dispense, reason: String) {
            self.dispense = dispense
            self.reason = reason
        }
    }

    /// Parses the body of `POST /v1/dispenses/{id}/corrections`.
    package func correction(from body: JSONValue, now: Date) -> Result<Correction, ValidationError> {
        var reader = FieldReader(limits: limits)
        let parsed = readDispense(body, extraFields: ["reason"], now: now, reader: &reader)
        var reason: String?
        if case .object(let object) = body {
            reason = reader.string(object, "reason", path: "", required: true, maxLength: limits.maxLongText)
        }
        guard let parsed, let reason else { return .failure(ValidationError(reader.errors)) }
        return finish(Correction(dispense: parsed, reason: reason), reader)
    }

    /// A cancellation: why, and which status the record takes.
    package struct Cancellation: Sendable, Equatable {
        package var reason: String
        package var status: DispenseStatus

        package init(reason: String, status: DispenseStatus) {
            self.reason = reason
            self.status = status
        }
    }

    /// Parses the body of `POST /v1/dispenses/{id}/cancel`.
    package func cancellation(from body: JSONValue) -> Result<Cancellation, ValidationError> {
        var reader = FieldReader(limits: limits)
        guard let object = reader.object(body, path: "", allowed: ["reason", "status"], required: true) else {
            return .failure(ValidationError(reader.errors))
        }
        let reason = reader.string(object, "reason", path: "", required: true, maxLength: limits.maxLongText)
        let statusText = reader.string(object, "status", path: "", required: true, maxLength: 32)
        var status: DispenseStatus?
        if let statusText {
            switch DispenseStatus(rawValue: statusText) {
            case .cancelled?: status = .cancelled
            case .enteredInError?: status = .enteredInError
            default: reader.fail("status", Phrase("must be \"cancelled\" or \"entered-in-error\"", fr: "doit être « cancelled » ou « entered-in-error »"))
            }
        }
        guard let reason, let status else { return .failure(ValidationError(reader.errors)) }
        return finish(Cancellation(reason: reason, status: status), reader)
    }

    private func finish<T>(_ value: T?, _ reader: FieldReader) -> Result<T, ValidationError> {
        if let value, reader.errors.isEmpty { return .success(value) }
        return .failure(ValidationError(reader.errors))
    }

    private func readDispense(_ body: JSONValue, extraFields: Set<String>, now: Date,
                              reader: inout FieldReader) -> Dispense? {
        let short = limits.maxShortText
        let long = limits.maxLongText
        guard let root = reader.object(body, path: "", allowed: Self.dispenseFields.union(extraFields), required: true) else {
            return nil
        }
        let dispenseId = reader.string(root, "pharmacyDispenseId", path: "", required: true, maxLength: 64)
        let patient = readPatient(root["patient"], reader: &reader)
        let medication = readMedication(root["medication"], reader: &reader)

        var quantity: Dispense.Quantity?
        if let object = reader.object(root["quantity"], path: "quantity", allowed: ["value", "unit"], required: false) {
            let value = reader.number(object, "value", path: "quantity", required: true)
            let unit = reader.string(object, "unit", path: "quantity", maxLength: short)
            if let value {
                if value > 0 { quantity = Dispense.Quantity(value: value, unit: unit) } else {
                    reader.fail("quantity.value", Phrase("must be greater than 0", fr: "doit être supérieure à 0"))
                }
            }
        }
        let daysSupply = reader.integer(root, "daysSupply", path: "")
        if let daysSupply, !(1...365).contains(daysSupply) { reader.fail("daysSupply", Phrase("must be between 1 and 365", fr: "doit être entre 1 et 365")) }

        var prescriber: Dispense.Prescriber?
        if let object = reader.object(root["prescriber"], path: "prescriber",
                                      allowed: ["license", "familyName", "givenName"], required: false) {
            prescriber = Dispense.Prescriber(
                license: reader.string(object, "license", path: "prescriber", maxLength: short),
                familyName: reader.string(object, "familyName", path: "prescriber", maxLength: short),
                givenName: reader.string(object, "givenName", path: "prescriber", maxLength: short))
        }
        var pharmacist: Dispense.Pharmacist?
        if let object = reader.object(root["pharmacist"], path: "pharmacist", allowed: ["license"], required: false) {
            pharmacist = Dispense.Pharmacist(license: reader.string(object, "license", path: "pharmacist", maxLength: short))
        }
        let handedOver = reader.string(root, "whenHandedOver", path: "", maxLength: 64)
        if let handedOver {
            if let date = Timestamps.parseRFC3339(handedOver) {
                if date.timeIntervalSince(now) > limits.maxFutureSeconds {
                    let hours = limits.maxFutureSeconds / 3600
                    let whole = hours == hours.rounded()
                    let amount = whole ? "\(Int(hours)) hour\(hours == 1 ? "" : "s")" : "\(Int(limits.maxFutureSeconds)) seconds"
                    let montant = whole ? "\(Int(hours)) heure\(hours == 1 ? "" : "s")" : "\(Int(limits.maxFutureSeconds)) secondes"
                    reader.fail("whenHandedOver", Phrase("must not be more than \(amount) in the future",
                                                         fr: "ne doit pas être à plus de \(montant) dans le futur"))
                }
            } else {
                reader.fail("whenHandedOver", Phrase("must be an RFC 3339 date-time with an offset, e.g. 2026-11-29T14:05:00-05:00",
                                                     fr: "doit être une date-heure RFC 3339 avec décalage horaire, p. ex. 2026-11-29T14:05:00-05:00"))
            }
        }
        let dispense = Dispense(
            pharmacyDispenseId: dispenseId ?? "",
            patient: patient ?? Dispense.Patient(nam: ""),
            medication: medication ?? Dispense.Medication(display: ""),
            quantity: quantity,
            daysSupply: daysSupply,
            dosageText: reader.string(root, "dosageText", path: "", maxLength: long),
            prescriber: prescriber,
            pharmacist: pharmacist,
            prescriptionId: reader.string(root, "prescriptionId", path: "", maxLength: 64),
            lot: reader.string(root, "lot", path: "", maxLength: 64),
            whenHandedOver: handedOver,
            note: reader.string(root, "note", path: "", maxLength: long))
        return reader.errors.isEmpty ? dispense : nil
    }

    private func readPatient(_ value: JSONValue?, reader: inout FieldReader) -> Dispense.Patient? {
        guard let object = reader.object(value, path: "patient",
                                         allowed: ["nam", "familyName", "givenName", "birthDate"], required: true) else {
            return nil
        }
        let short = limits.maxShortText
        var nam: String?
        if let raw = reader.string(object, "nam", path: "patient", required: true, maxLength: 32) {
            nam = Identifiers.normalizedNAM(raw)
            if nam == nil { reader.fail("patient.nam", Phrase.namShape) }
        }
        let birthDate = reader.string(object, "birthDate", path: "patient", maxLength: 10)
        if let birthDate, Timestamps.parseDate(birthDate) == nil {
            reader.fail("patient.birthDate", Phrase.dateShape)
        }
        let familyName = reader.string(object, "familyName", path: "patient", maxLength: short)
        let givenName = reader.string(object, "givenName", path: "patient", maxLength: short)
        guard let nam else { return nil }
        return Dispense.Patient(nam: nam, familyName: familyName, givenName: givenName, birthDate: birthDate)
    }

    private func readMedication(_ value: JSONValue?, reader: inout FieldReader) -> Dispense.Medication? {
        guard let object = reader.object(value, path: "medication",
                                         allowed: ["din", "code", "codeSystem", "display", "strength", "form", "substanceCode"],
                                         required: true) else {
            return nil
        }
        let short = limits.maxShortText
        let din = reader.string(object, "din", path: "medication", maxLength: 64)
        if let din, !Identifiers.isDIN(din) { reader.fail("medication.din", Phrase("must be 8 digits", fr: "doit compter 8 chiffres")) }
        let code = reader.string(object, "code", path: "medication", maxLength: 64)
        let codeSystem = reader.string(object, "codeSystem", path: "medication", maxLength: short)
        if din == nil {
            if code == nil && codeSystem == nil {
                reader.fail("medication", Phrase("needs either din, or code with codeSystem", fr: "exige soit din, soit code avec codeSystem"))
            } else if code == nil {
                reader.fail("medication.code", Phrase("is required with codeSystem", fr: "est obligatoire avec codeSystem"))
            } else if codeSystem == nil {
                reader.fail("medication.codeSystem", Phrase("is required with code", fr: "est obligatoire avec code"))
            }
        }
        let display = reader.string(object, "display", path: "medication", required: true, maxLength: limits.maxLongText)
        let strength = reader.string(object, "strength", path: "medication", maxLength: short)
        let form = reader.string(object, "form", path: "medication", maxLength: short)
        var substanceCode = reader.string(object, "substanceCode", path: "medication", maxLength: 16)
        if let raw = substanceCode {
            substanceCode = Identifiers.normalizedATC(raw)
            if substanceCode == nil {
                reader.fail("medication.substanceCode", Phrase(
                    "must be an ATC level-5 code: a letter, 2 digits, 2 letters, 2 digits, e.g. A10BA02",
                    fr: "doit être un code ATC de niveau 5 : une lettre, 2 chiffres, 2 lettres, 2 chiffres, p. ex. A10BA02"))
            }
        }
        guard let display else { return nil }
        return Dispense.Medication(din: din, code: code, codeSystem: codeSystem, display: display,
                                   strength: strength, form: form, substanceCode: substanceCode)
    }
}
