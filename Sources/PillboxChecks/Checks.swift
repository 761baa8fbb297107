import Foundation
import PillboxModel

/// Runs every dispensing check on one fill (docs/checks.md). Pure: it sees only its input,
/// which holds what this pharmacy recorded and what the central record last said. An aid to
/// the pharmacist, not a clinical decision system.
package enum Checks {
    /// The findings, the coverage and the checks that could not run.
    package static func run(_ input: CheckInput) -> CheckOutcome {
        let fills = counted(input)
        let new = NewFill(input)
        var findings: [Finding] = []
        var skipped: [SkippedCheck] = []
        for check in [EarlyRefillCheck.run, DuplicateTherapyCheck.run, SamePrescriptionCheck.run] {
            switch check(new, fills, input.settings) {
            case .found(let finding): findings.append(finding)
            case .skipped(let skip): skipped.append(skip)
            case .clean: break
            }
        }
        return CheckOutcome(findings: findings, coverage: coverage(input), skipped: skipped)
    }

    /// The fills that count: completed current versions, local or central, newest first;
    /// never the fill itself (a replay, or the version just recorded), nor the dispense a
    /// correction corrects.
    static func counted(_ input: CheckInput) -> [CheckFill] {
        let excluded = Set([input.ownID, input.corrects].compactMap { $0 })
        return (input.localFills + input.centralFills).filter { fill in
            guard fill.status == DispenseStatus.completed.rawValue else { return false }
            guard fill.source == .local else { return true }
            return !excluded.contains(fill.id) && fill.pharmacyDispenseId != input.dispense.pharmacyDispenseId
        }.sorted { $0.date > $1.date }
    }

    /// What the checks could see.
    static func coverage(_ input: CheckInput) -> Coverage {
        let central = input.central
        let unreadable = input.unreadableLocalFills
        guard central.configured else {
            return Coverage(central: .none, reason: .notConfigured, unreadableLocalFills: unreadable)
        }
        guard let asOf = central.asOf else {
            return Coverage(central: .none, reason: central.knownUnreachable ? .unreachable : .neverFetched,
                            unreadableLocalFills: unreadable)
        }
        let age = max(0, Int(input.now.timeIntervalSince(asOf).rounded(.down)))
        if central.answered {
            return Coverage(central: .live, asOf: Timestamps.format(asOf), ageSeconds: age, unreadableLocalFills: unreadable)
        }
        return Coverage(central: .cache, asOf: Timestamps.format(asOf), ageSeconds: age,
                        stale: age > input.settings.staleCacheSeconds, unreadableLocalFills: unreadable)
    }
}

/// What one check concluded.
enum CheckResult: Equatable {
    case found(Finding)
    case skipped(SkippedCheck)
    case clean
}

/// The new fill as the checks compare it.
struct NewFill {
    var date: Date
    var din: String?
    var substanceCode: String?
    var daysSupply: Int?
    var prescriptionId: String?

    init(_ input: CheckInput) {
        let medication = input.dispense.medication
        date = input.date
        din = medication.din
        substanceCode = medication.substanceCode.flatMap(Identifiers.normalizedATC)
        daysSupply = input.dispense.daysSupply
        prescriptionId = input.dispense.prescriptionId
    }
}

extension CheckFill {
    /// Seconds of supply left at `when` (the whole supply when it starts later); nil without
    /// a days' supply.
    func secondsLeft(at when: Date) -> Double? {
        guard let daysSupply, daysSupply > 0 else { return nil }
        let total = Double(daysSupply) * 86_400
        return min(total, max(0, total - when.timeIntervalSince(date)))
    }

    /// Whether more than `percent` % of the supply is left at `when`.
    func moreThan(percent: Double, leftAt when: Date) -> Bool {
        guard let left = secondsLeft(at: when), let daysSupply else { return false }
        return left * 100 > percent * Double(daysSupply) * 86_400
    }
}

extension Finding {
    /// A finding about `fills`, with the largest remaining share at `date`.
    init(_ kind: Finding.Kind, fills: [CheckFill], at date: Date) {
        self.init(kind: kind, fills: fills,
                  mostRemaining: fills.compactMap { $0.remainingFraction(at: date) }.max() ?? 0)
    }
}
