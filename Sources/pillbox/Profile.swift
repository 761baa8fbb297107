import ArgumentParser
import Foundation

struct Profile: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show a patient's medication profile, newest first.")

    @Argument(help: "The patient's health insurance number (NAM), e.g. ABCD12345678.")
    var nam: String

    @Option(name: .long, help: "Only dispenses on or after this date (YYYY-MM-DD).")
    var since: String?

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let compact = nam.replacingOccurrences(of: " ", with: "")
        var path = "/v1/patients/\(compact.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? compact)/medications"
        if let since { path += "?since=\(since.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["-"])) ?? since)" }
        let response = try await connection.call("GET", path)
        guard response.status == 200, let profile = response.json else { throw Output.problem(response) }
        if connection.json { return Output.raw(response.body) }
        let entries = profile["medications"] as? [[String: Any]] ?? []
        Output.line("\(entries.count) medication(s) for \(profile["nam"] ?? compact)")
        for entry in entries {
            if entry["problem"] as? String == "unreadable" {
                Output.line("UNREADABLE  dispense \(entry["id"] ?? "?"): its stored record failed the integrity check; call a technician")
                continue
            }
            let medication = entry["medication"] as? [String: Any] ?? [:]
            let quantity = entry["quantity"] as? [String: Any]
            let when = (entry["whenHandedOver"] as? String) ?? (entry["recordedAt"] as? String) ?? "?"
            let code = (medication["din"] as? String).map { "DIN \($0)" } ?? "\(medication["code"] ?? "")"
            let amount = quantity.map { " × \($0["value"] ?? "")\(($0["unit"] as? String).map { " \($0)" } ?? "")" } ?? ""
            Output.line("\(when.prefix(10))  \(code)  \(medication["display"] ?? "")\(amount)  [\(entry["status"] ?? "")] (\(entry["source"] ?? ""))")
        }
    }
}
