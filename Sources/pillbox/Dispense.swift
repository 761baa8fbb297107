import ArgumentParser
import Foundation
import PillboxClient
import PillboxConsole

struct Dispense: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record a dispense from a JSON file (the body of POST /v1/dispenses); '-' reads standard input.",
        discussion: """
            Sends the file to pillboxd as the dispensing software would, and prints the record's \
            id, version and upload state, then the dispensing checks' findings. Sending the same \
            file again changes nothing ("Already recorded"). Field rules: docs/openapi.yaml.

            Examples:
              pillbox dispense --file record.json
              cat record.json | pillbox dispense --file -
            \(HelpText.exitCodes)
            """)

    @Option(name: .long, help: "The dispense as JSON.")
    var file: String

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let data: Data?
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            data = FileManager.default.contents(atPath: file)
        }
        guard let data else {
            Output.error(tr("cannot read \(file)", "impossible de lire \(file)"))
            throw ExitCode(66)
        }
        guard let answer = try await connection.call(LocalAPI.record(data)) else { return }
        let record = answer.value.record
        if answer.response.status == 201 {
            Output.line(tr("Recorded dispense \(record.id) version \(record.version) (upload \(record.sync.state.rawValue))",
                           "Délivrance \(record.id) enregistrée, version \(record.version) (envoi \(record.sync.state.rawValue))"))
        } else {
            Output.line(tr("Already recorded (same content), nothing changed: dispense \(record.id) version \(record.version) (upload \(record.sync.state.rawValue))",
                           "Déjà enregistrée (même contenu), rien de changé : délivrance \(record.id) version \(record.version) (envoi \(record.sync.state.rawValue))"))
        }
        for finding in answer.value.checks?.findings ?? [] {
            Output.line("  \(finding.severity.rawValue): \(finding.message)")
        }
    }
}
