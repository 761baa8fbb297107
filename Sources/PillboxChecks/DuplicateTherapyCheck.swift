/// Duplicate therapy: a fill of a different DIN with the same active substance (ATC level 5,
/// when both fills carry one) whose supply overlaps the new fill's by more than
/// `duplicateTherapyOverlapDays`.
enum DuplicateTherapyCheck {
    static func run(_ new: NewFill, _ fills: [CheckFill], _ settings: CheckSettings) -> CheckResult {
        guard let substance = new.substanceCode else {
            return .skipped(SkippedCheck(type: .duplicateTherapy, reason: .noSubstanceCode))
        }
        let minimum = settings.duplicateTherapyOverlapDays * 86_400
        let matches = fills.filter { fill in
            guard fill.substanceCode == substance, fill.din != new.din else { return false }
            return overlap(fill, new) > minimum
        }
        return matches.isEmpty ? .clean : .found(Finding(.duplicateTherapy, fills: matches, at: new.date))
    }

    /// Seconds both supplies cover: an earlier fill's supply left at the new fill's date, or,
    /// for a fill dated later, the new fill's supply left at that fill's date.
    static func overlap(_ fill: CheckFill, _ new: NewFill) -> Double {
        if fill.date <= new.date { return fill.secondsLeft(at: new.date) ?? 0 }
        guard let days = new.daysSupply, let fillDays = fill.daysSupply else { return 0 }
        let newEnd = new.date.addingTimeInterval(Double(days) * 86_400)
        return min(newEnd.timeIntervalSince(fill.date), Double(fillDays) * 86_400)
    }
}
