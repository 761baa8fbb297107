import Foundation

/// Something the pharmacist should look at before handing the fill over. Never blocks.
package struct Finding: Sendable, Equatable {
    /// Which check found it.
    package enum Kind: String, Sendable, Equatable, CaseIterable, Codable {
        case earlyRefill = "early-refill"
        case duplicateTherapy = "duplicate-therapy"
        case samePrescriptionElsewhere = "same-prescription-elsewhere"
    }

    /// How much it matters; every check today reports `warning`.
    package enum Severity: String, Sendable, Equatable, Codable {
        case info
        case warning
    }

    package var kind: Kind
    package var severity: Severity
    /// The fills it is about, newest first.
    package var fills: [CheckFill]
    /// The largest share of a days' supply left among `fills` at the new fill's date (0 to 1).
    package var mostRemaining: Double

    /// A finding about the given fills.
    package init(kind: Kind, severity: Severity = .warning, fills: [CheckFill], mostRemaining: Double) {
        self.kind = kind
        self.severity = severity
        self.fills = fills
        self.mostRemaining = mostRemaining
    }
}
