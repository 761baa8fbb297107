import PillboxModel

/// The readable output of `pillbox doctor`: one aligned line per check (outcome, check,
/// what was found), the fix under each failing or warning check, and a closing count.
package struct DoctorReport {
    package var findings: [DoctorFinding]
    package var language: Language
    package var colour: Bool

    package init(findings: [DoctorFinding], language: Language = Words.language, colour: Bool = Terminal.colourOnStdout) {
        self.findings = findings
        self.language = language
        self.colour = colour
    }

    /// 0 when no check failed, 1 otherwise.
    package var exitCode: Int32 { findings.contains { $0.outcome == .fail } ? 1 : 0 }

    package var lines: [String] {
        var lines: [String] = []
        let width = findings.map(\.check.count).max() ?? 0
        for finding in findings {
            let word = Self.word(finding.outcome, language)
            let padded = word + String(repeating: " ", count: max(0, 4 - word.count))
            let check = finding.check + String(repeating: " ", count: width - finding.check.count)
            lines.append("\(paint(padded, finding.outcome))  \(check)  \(finding.detail)")
            if let fix = finding.fix, finding.outcome == .fail || finding.outcome == .warn {
                lines.append(String(repeating: " ", count: 8 + width) + "→ " + fix)
            }
        }
        let failed = findings.filter { $0.outcome == .fail }.count
        let warned = findings.filter { $0.outcome == .warn }.count
        let passed = findings.filter { $0.outcome == .pass }.count
        lines.append(tr("\(passed) passed, \(failed) failed, \(warned) warning(s)",
                        "\(passed) réussi(s), \(failed) échoué(s), \(warned) avertissement(s)", language))
        return lines
    }

    /// "OK", "FAIL", "WARN", "SKIP" (French "OK", "ÉCHEC", "ATTN", "SAUT").
    package static func word(_ outcome: DoctorFinding.Outcome, _ language: Language) -> String {
        switch outcome {
        case .pass: return "OK"
        case .fail: return tr("FAIL", "ÉCHEC", language)
        case .warn: return tr("WARN", "ATTN", language)
        case .skip: return tr("SKIP", "SAUT", language)
        }
    }

    private func paint(_ text: String, _ outcome: DoctorFinding.Outcome) -> String {
        switch outcome {
        case .pass: return Terminal.paint(text, .green, enabled: colour)
        case .fail: return Terminal.paint(text, .red, enabled: colour)
        case .warn: return Terminal.paint(text, .yellow, enabled: colour)
        case .skip: return text
        }
    }
}
