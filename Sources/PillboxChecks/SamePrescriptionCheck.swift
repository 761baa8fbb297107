/// Same prescription filled elsewhere: a central fill (another pharmacy) of the same
/// `prescriptionId` whose days' supply is not used up (more than
/// `samePrescriptionRemainingPercent` % left at the new fill's date).
enum SamePrescriptionCheck {
    static func run(_ new: NewFill, _ fills: [CheckFill], _ settings: CheckSettings) -> CheckResult {
        guard let prescription = new.prescriptionId else {
            return .skipped(SkippedCheck(type: .samePrescriptionElsewhere, reason: .noPrescriptionId))
        }
        let matches = fills.filter { fill in
            fill.source == .central && fill.prescriptionId == prescription
                && fill.moreThan(percent: settings.samePrescriptionRemainingPercent, leftAt: new.date)
        }
        return matches.isEmpty ? .clean : .found(Finding(.samePrescriptionElsewhere, fills: matches, at: new.date))
    }
}
