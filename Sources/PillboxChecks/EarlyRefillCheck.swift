/// Early refill: an earlier fill of the same DIN whose days' supply is not yet mostly used
/// (more than `earlyRefillRemainingPercent` % left at the new fill's date).
enum EarlyRefillCheck {
    static func run(_ new: NewFill, _ fills: [CheckFill], _ settings: CheckSettings) -> CheckResult {
        guard let din = new.din else { return .skipped(SkippedCheck(type: .earlyRefill, reason: .noDIN)) }
        let matches = fills.filter { fill in
            fill.din == din && fill.date <= new.date
                && fill.moreThan(percent: settings.earlyRefillRemainingPercent, leftAt: new.date)
        }
        return matches.isEmpty ? .clean : .found(Finding(.earlyRefill, fills: matches, at: new.date))
    }
}
