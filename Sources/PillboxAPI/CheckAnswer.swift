import Foundation
import PillboxChecks
import PillboxModel

/// The answer of `POST /v1/checks`: findings in the request's language, what could be seen,
/// and the checks that could not run.
struct CheckAnswer: Encodable {
    var findings: [FindingBody]
    var coverage: Coverage
    var skippedChecks: [SkippedCheck]

    init(_ outcome: CheckOutcome, language: Language) {
        findings = outcome.findings.map { FindingBody($0, language: language) }
        coverage = outcome.coverage
        skippedChecks = outcome.skipped
    }

    /// One finding on the wire.
    struct FindingBody: Encodable {
        var type: Finding.Kind
        var severity: Finding.Severity
        var message: String
        var dispenses: [FillBody]

        init(_ finding: Finding, language: Language) {
            type = finding.kind
            severity = finding.severity
            message = finding.message(language)
            dispenses = finding.fills.map(FillBody.init)
        }
    }

    /// A fill a finding is about.
    struct FillBody: Encodable {
        var id: String
        var date: String
        var quantity: Double?
        var daysSupply: Int?
        var source: CheckFill.Source
        var pharmacy: String?

        init(_ fill: CheckFill) {
            id = fill.id
            date = Timestamps.format(fill.date)
            quantity = fill.quantity
            daysSupply = fill.daysSupply
            source = fill.source
            pharmacy = fill.pharmacy
        }
    }
}

/// A recorded version with the checks' answer beside its fields (`POST /v1/dispenses` and
/// corrections). Without `checks` (the checks could not read the store) the members are
/// absent, never an empty list.
struct CheckedRecord: Encodable {
    var record: DispenseRecord
    var checks: CheckAnswer?

    func encode(to encoder: any Encoder) throws {
        try record.encode(to: encoder)
        try checks?.encode(to: encoder)
    }
}
