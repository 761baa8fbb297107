import ArgumentParser
import PillboxClient
import PillboxConsole
import PillboxWire

struct KeysStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the key ids, their purpose and age, and the last rotation of the data key.",
        discussion: "Exit 0; 1 when the last rotation left payloads it could not open (see docs/operations.md).")

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        guard let keys = try await connection.call(LocalAPI.keys)?.value else { return }
        for line in Self.lines(keys) { Output.line(line) }
        if (keys.rotation?.unreadable ?? 0) > 0 { throw ExitCode(1) }
    }

    /// The readable status.
    static func lines(_ keys: KeysResponse) -> [String] {
        var lines = [tr("Master key id: ", "Clé maîtresse : ") + keys.masterKeyId, ""]
        var table = Table(header: [tr("Key", "Clé"), tr("Purpose", "Rôle"), tr("State", "État"), tr("Age", "Âge"),
                                   tr("Payloads left", "Contenus restants")])
        for key in keys.keys {
            let state = key.state == "current" ? tr("in use", "en service")
                : Terminal.paint(tr("retired", "retirée"), .yellow)
            table.add([key.id, purpose(key.purpose), state, Human.duration(seconds: key.ageSeconds),
                       key.rows.map(String.init) ?? ""])
        }
        lines += table.lines
        lines.append("")
        guard let rotation = keys.rotation else {
            lines.append(tr("The data key was never rotated.", "La clé de données n'a jamais été renouvelée."))
            return lines
        }
        let done = rotation.total - min(rotation.total, rotation.remaining)
        if rotation.state == "running" {
            lines.append(tr("Rotation running: \(rotation.fromKeyId) → \(rotation.toKeyId), \(done)/\(rotation.total) "
                            + "re-encrypted, \(rotation.remaining) left (started \(rotation.startedAt)).",
                            "Renouvellement en cours : \(rotation.fromKeyId) → \(rotation.toKeyId), \(done)/\(rotation.total) "
                            + "rechiffrés, \(rotation.remaining) restants (commencé le \(rotation.startedAt))."))
        } else {
            lines.append(tr("Last rotation: \(rotation.fromKeyId) → \(rotation.toKeyId), \(rotation.rewritten) re-encrypted, "
                            + "finished \(rotation.finishedAt ?? "?").",
                            "Dernier renouvellement : \(rotation.fromKeyId) → \(rotation.toKeyId), \(rotation.rewritten) rechiffrés, "
                            + "terminé le \(rotation.finishedAt ?? "?")."))
        }
        if rotation.unreadable > 0 {
            lines.append(Terminal.paint(tr(
                "\(rotation.unreadable) payloads do not open (altered rows) and stay under \(rotation.fromKeyId), which is kept; "
                    + "run pillbox verify and call for support.",
                "\(rotation.unreadable) contenus ne s'ouvrent pas (lignes modifiées) et restent sous \(rotation.fromKeyId), "
                    + "qui est conservée ; lancez pillbox verify et appelez le soutien."), .red))
        }
        return lines
    }

    static func purpose(_ purpose: String) -> String {
        switch purpose {
        case "data": tr("data", "données")
        case "index": tr("index", "index")
        case "audit": tr("audit", "journal")
        default: purpose
        }
    }
}
