/// A dispense as the dispensing software describes it: the content of one version.
///
/// Field names are the JSON names of the local API (camelCase). Only `pharmacyDispenseId`,
/// `patient.nam` and `medication.display` are required.
public struct Dispense: Sendable, Equatable, Codable {
    /// The dispensing software's own id for this fill (1–64 characters); the idempotency key.
    public var pharmacyDispenseId: String
    public var patient: Patient
    public var medication: Medication
    public var quantity: Quantity?
    /// Days the dispensed quantity lasts, 1–365.
    public var daysSupply: Int?
    public var dosageText: String?
    public var prescriber: Prescriber?
    public var pharmacist: Pharmacist?
    public var prescriptionId: String?
    public var lot: String?
    /// RFC 3339 timestamp with an offset, as sent.
    public var whenHandedOver: String?
    public var note: String?

    public init(
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
    public struct Patient: Sendable, Equatable, Codable {
        /// Quebec health insurance number, normalized: upper-case, no spaces.
        public var nam: String
        public var familyName: String?
        public var givenName: String?
        /// `YYYY-MM-DD`.
        public var birthDate: String?

        public init(nam: String, familyName: String? = nil, givenName: String? = nil, birthDate: String? = nil) {
            self.nam = nam
            self.familyName = familyName
            self.givenName = givenName
            self.birthDate = birthDate
        }
    }

    /// The product: a DIN, or a code in another system for products without one.
    public struct Medication: Sendable, Equatable, Codable {
        /// Health Canada Drug Identification Number, 8 digits.
        public var din: String?
        public var code: String?
        public var codeSystem: String?
        public var display: String
        public var strength: String?
        public var form: String?
        /// The active substance: an ATC level-5 code (`http://www.whocc.no/atc`), e.g. `A10BA02`.
        /// Optional; the duplicate-therapy check needs it (docs/checks.md).
        public var substanceCode: String?

        public init(din: String? = nil, code: String? = nil, codeSystem: String? = nil, display: String,
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
    public struct Quantity: Sendable, Equatable, Codable {
        /// Greater than zero.
        public var value: Double
        public var unit: String?

        public init(value: Double, unit: String? = nil) {
            self.value = value
            self.unit = unit
        }
    }

    /// Who wrote the prescription.
    public struct Prescriber: Sendable, Equatable, Codable {
        public var license: String?
        public var familyName: String?
        public var givenName: String?

        public init(license: String? = nil, familyName: String? = nil, givenName: String? = nil) {
            self.license = license
            self.familyName = familyName
            self.givenName = givenName
        }
    }

    /// The pharmacist who validated the fill.
    public struct Pharmacist: Sendable, Equatable, Codable {
        public var license: String?

        public init(license: String? = nil) { self.license = license }
    }
}
