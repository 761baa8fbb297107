import ArgumentParser
import PillboxClient
import PillboxConsole
import PillboxModel
import PillboxWire

struct Profile: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a patient's medication profile, newest first.",
        discussion: """
            One line per dispense: date, product, quantity, status and where it comes from \
            (local: this box; central: the provincial record, or its cached copy during an \
            outage). UNREADABLE marks a stored record that failed its integrity check. Spaces in \
            the NAM are ignored.

            Examples:
              pillbox profile TREM50020312
              pillbox profile "TREM 5002 0312" --since 2026-01-01
            \(HelpText.exitCodes)
            """)

    @Argument(help: "The patient's health insurance number (NAM), e.g. ABCD12345678.")
    var nam: String

    @Option(name: .long, help: "Only dispenses on or after this date (YYYY-MM-DD).")
    var since: String?

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let compact = nam.replacingOccurrences(of: " ", with: "")
        guard let profile = try await connection.call(LocalAPI.profile(nam: compact, since: since))?.value else { return }
        Output.line(tr("\(profile.medications.count) medication(s) for \(profile.nam)",
                       "\(profile.medications.count) médicament(s) pour \(profile.nam)"))
        for entry in profile.medications {
            Output.line(Self.line(entry))
        }
    }

    /// One line of the profile: date, product, quantity, status and source.
    static func line(_ entry: ProfileEntry) -> String {
        switch entry {
        case .unreadable(let flag):
            return tr("UNREADABLE  dispense \(flag.id): its stored record failed the integrity check; call a technician",
                      "ILLISIBLE  délivrance \(flag.id) : son dossier enregistré a échoué au contrôle d'intégrité ; appeler un technicien")
        case .local(let record):
            let dispense = record.dispense
            let medication = dispense.medication
            let code = medication.din.map { "DIN \($0)" } ?? (medication.code ?? "")
            let amount = dispense.quantity.map { " × \(Self.number($0.value))\($0.unit.map { " \($0)" } ?? "")" } ?? ""
            let when = dispense.whenHandedOver ?? record.recordedAt
            return "\(when.prefix(10))  \(code)  \(medication.display)\(amount)  [\(record.status.rawValue)] (\(tr("local", "local")))"
        case .central(let dispense):
            let medication = dispense.medication
            let code = medication.din.map { "DIN \($0)" } ?? (medication.code ?? "")
            let when = dispense.whenHandedOver ?? dispense.lastUpdated ?? "?"
            return "\(when.prefix(10))  \(code)  \(medication.display)  [\(dispense.status)] (\(tr("central", "central")))"
        }
    }

    /// A quantity as people write it: `60`, `2.5`.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
