import ArgumentParser
import Foundation
import PillboxClient

struct Dispense: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record a dispense from a JSON file (the body of POST /v1/dispenses); '-' reads standard input.")

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
            Output.error("cannot read \(file)")
            throw ExitCode(66)
        }
        guard let answer = try await connection.call(LocalAPI.record(data)) else { return }
        let record = answer.value.record
        let verb = answer.response.status == 201 ? "Recorded" : "Already recorded (same content), nothing changed:"
        Output.line("\(verb) dispense \(record.id) version \(record.version) (upload \(record.sync.state.rawValue))")
        for finding in answer.value.checks?.findings ?? [] {
            Output.line("  \(finding.severity.rawValue): \(finding.message)")
        }
    }
}
