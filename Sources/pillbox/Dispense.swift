import ArgumentParser
import Foundation

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
        let response = try await connection.call("POST", "/v1/dispenses", body: data)
        guard response.status == 200 || response.status == 201, let record = response.json else {
            throw Output.problem(response)
        }
        if connection.json { return Output.raw(response.body) }
        let verb = response.status == 201 ? "Recorded" : "Already recorded (same content), nothing changed:"
        Output.line("\(verb) dispense \(record["id"] ?? "?") version \(record["version"] ?? "?") (upload \((record["sync"] as? [String: Any])?["state"] ?? "?"))")
    }
}
