/// A dispense as the dispensing software describes it: the content of one version.
///
/// Field names are the JSON names of the local API (camelCase). Only `pharmacyDispenseId`,
/// `patient.nam` and `medication.display` are required.
package struct Dispense: Sendable, Equatable, Codable {
    /// The dispensing software's own id for this fill (1–64 characters); the idempotency key.
    package var pharmacyDispenseId: String
    package var patient: Patient
    package var medication: Medication
    package var quantity: Quantity?
    /// Days the dispensed quantity lasts, 1–365.
    package var daysSupply: Int?
    package var dosageText: String?
    package var prescriber: Prescriber?
    package var pharmacist: Pharmacist?
    package var prescriptionId: String?
    package var lot: String?
    /// RFC 3339 timestamp with an offset, as sent.
    package var whenHandedOver: String?
    package var note: String?

    package init(
        pharmacyDispenseId: String, patient: Patient, medication: Medication,
        quantity: Quantity? = nil, daysSupply: Int? = nil, dosageText: String? = nil,
        prescriber: Prescriber? = nil, pharmacist: Pharmacist? = nil, prescriptionId: String? = nil,
        lot: String? = nil, whenHandedOver: String? = nil, note: String? = nil
    ) {
        self.pharmacyDispenseId = pharmacyDispenseId
        self.patient = patient
        self.medication = medication
        self.quantity = quantity
        self.daysSupply = daysSupply
        self.dosageText = dosageText
        self.prescriber = prescriber
        self.pharmacist = pharmacist
        self.prescriptionId = prescriptionId
        self.lot = lot
        self.whenHandedOver = whenHandedOver
        self.note = note
    }

    /// The patient the medication was dispensed to.
    package struct Patient: Sendable, Equatable, Codable {
        /// Quebec health insurance number, normalized: upper-case, no spaces.
        package var nam: String
        package var familyName: String?
        package var givenName: String?
        /// `YYYY-MM-DD`.
        package var birthDate: String?

        package init(nam: String, familyName: String? = nil, givenName: String? = nil, birthDate: String? = nil) {
            self.nam = nam
            self.familyName = familyName
            self.givenName = givenName
            self.birthDate = birthDate
        }
    }

    /// The product: a DIN, or a code in another system for products without one.
    package struct Medication: Sendable, Equatable, Codable {
        /// Health Canada Drug Identification Number, 8 digits.
        package var din: String?
        package var code: String?
        package var codeSystem: String?
        package var display: String
        package var strength: String?
        package var form: String?
        /// The active substance: an ATC level-5 code (`http://www.whocc.no/atc`), e.g. `A10BA02`.
        /// Optional; the duplicate-therapy check needs it (docs/checks.md).
        package var substanceCode: String?

        package init(din: String? = nil, code: String? = nil, codeSystem: String? = nil, display: String,
                    strength: String? = nil, form: String? = nil, substanceCode: String? = nil) {
            self.din = din
            self.code = code
            self.codeSystem = codeSystem
            self.display = display
            self.strength = strength
            self.form = form
            self.substanceCode = substanceCode
        }
    }

    /// The quantity dispensed.
    package struct Quantity: Sendable, Equatable, Codable {
        /// Greater than zero.
        package var value: Double
        package var unit: String?

        package init(value: Double, unit: String? = nil) {
            self.value = value
            self.unit = unit
        }
    }

    /// Who wrote the prescription.
    package struct Prescriber: Sendable, Equatable, Codable {
        package var license: String?
        package var familyName: String?
        package var givenName: String?

        package init(license: String? = nil, familyName: String? = nil, givenName: String? = nil) {
            self.license = license
            self.familyName = familyName
            self.givenName = givenName
        }
    }

    /// The pharmacist who validated the fill.
    package struct Pharmacist: Sendable, Equatable, Codable {
        package var license: String?

        package init(license: String? = nil) { self.license = license }
    }
}
