import PillboxChecks
import PillboxModel
import PillboxWire

extension CheckResponse {
    /// The checks' outcome as sent, messages in `language`.
    init(_ outcome: CheckOutcome, language: Language) {
        self.init(findings: outcome.findings.map { finding in
                      FindingBody(type: finding.kind, severity: finding.severity, message: finding.message(language),
                                  dispenses: finding.fills.map { fill in
                                      FillBody(id: fill.id, date: Timestamps.format(fill.date), quantity: fill.quantity,
                                               daysSupply: fill.daysSupply, source: fill.source, pharmacy: fill.pharmacy)
                                  })
                  },
                  coverage: outcome.coverage, skippedChecks: outcome.skipped)
    }
}
