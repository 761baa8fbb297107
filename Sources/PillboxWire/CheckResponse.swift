import PillboxChecks
import PillboxModel

/// The answer of `POST /v1/checks`, and its members beside a recorded version's fields
/// (`RecordedDispense`): findings in the request's language, what could be seen, and the
/// checks that could not run.
public struct CheckResponse: Sendable, Equatable, Codable {
    public var findings: [FindingBody]
    public var coverage: Coverage
    public var skippedChecks: [SkippedCheck]

    public init(findings: [FindingBody], coverage: Coverage, skippedChecks: [SkippedCheck]) {
        self.findings = findings
        self.coverage = coverage
        self.skippedChecks = skippedChecks
    }

    /// One finding: its kind, severity, message, and the fills it is about.
    public struct FindingBody: Sendable, Equatable, Codable {
        public var type: Finding.Kind
        public var severity: Finding.Severity
        public var message: String
        public var dispenses: [FillBody]

        public init(type: Finding.Kind, severity: Finding.Severity, message: String, dispenses: [FillBody]) {
            self.type = type
            self.severity = severity
            self.message = message
            self.dispenses = dispenses
        }
    }

    /// A fill a finding is about; `pharmacy` when the central record says who made it.
    public struct FillBody: Sendable, Equatable, Codable {
        public var id: String
        /// RFC 3339.
        public var date: String
        public var quantity: Double?
        public var daysSupply: Int?
        public var source: CheckFill.Source
        public var pharmacy: String?

        public init(id: String, date: String, quantity: Double?, daysSupply: Int?, source: CheckFill.Source, pharmacy: String?) {
            self.id = id
            self.date = date
            self.quantity = quantity
            self.daysSupply = daysSupply
            self.source = source
            self.pharmacy = pharmacy
        }
    }
}
