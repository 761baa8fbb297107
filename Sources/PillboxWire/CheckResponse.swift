import PillboxChecks
import PillboxModel

/// The answer of `POST /v1/checks`, and its members beside a recorded version's fields
/// (`RecordedDispense`): findings in the request's language, what could be seen, and the
/// checks that could not run.
package struct CheckResponse: Sendable, Equatable, Codable {
    package var findings: [FindingBody]
    package var coverage: Coverage
    package var skippedChecks: [SkippedCheck]

    package init(findings: [FindingBody], coverage: Coverage, skippedChecks: [SkippedCheck]) {
        self.findings = findings
        self.coverage = coverage
        self.skippedChecks = skippedChecks
    }

    /// One finding: its kind, severity, message, and the fills it is about.
    package struct FindingBody: Sendable, Equatable, Codable {
        package var type: Finding.Kind
        package var severity: Finding.Severity
        package var message: String
        package var dispenses: [FillBody]

        package init(type: Finding.Kind, severity: Finding.Severity, message: String, dispenses: [FillBody]) {
            self.type = type
            self.severity = severity
            self.message = message
            self.dispenses = dispenses
        }
    }

    /// A fill a finding is about; `pharmacy` when the central record says who made it.
    package struct FillBody: Sendable, Equatable, Codable {
        package var id: String
        /// RFC 3339.
        package var date: String
        package var quantity: Double?
        package var daysSupply: Int?
        package var source: CheckFill.Source
        package var pharmacy: String?

        package init(id: String, date: String, quantity: Double?, daysSupply: Int?, source: CheckFill.Source, pharmacy: String?) {
            self.id = id
            self.date = date
            self.quantity = quantity
            self.daysSupply = daysSupply
            self.source = source
            self.pharmacy = pharmacy
        }
    }
}
