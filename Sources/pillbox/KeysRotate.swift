import ArgumentParser
import Foundation
import PillboxClient
import PillboxConsole
import PillboxWire

struct KeysRotate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Put a new data key in service; the old payloads are re-encrypted in the background.",
        discussion: """
            New records are sealed under the new data key at once. The records, dead letters' outcomes and \
            cached central profiles sealed under the old one are re-encrypted by pillboxd in small batches \
            while it keeps serving; the old key is deleted when none is left. A restart or a crash does not \
            lose the rotation: pillboxd continues it. The index and audit keys are not rotated. \
            Exit 75 when a rotation is already running.
            """)

    @Flag(name: .long, help: "Wait until the rotation has finished, showing its progress.")
    var wait = false

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        if connection.json && !wait {
            _ = try await connection.call(LocalAPI.rotateKeys)
            return
        }
        var quiet = connection
        quiet.json = false
        guard let started = try await quiet.call(LocalAPI.rotateKeys)?.value else { return }
        let rotation = started.rotation
        if !connection.json {
            Output.line(tr("New data key \(rotation?.toKeyId ?? "?") in service; \(rotation?.total ?? 0) payloads under "
                           + "\(rotation?.fromKeyId ?? "?") to re-encrypt in the background.",
                           "Nouvelle clé de données \(rotation?.toKeyId ?? "?") en service ; \(rotation?.total ?? 0) contenus "
                           + "sous \(rotation?.fromKeyId ?? "?") à rechiffrer en arrière-plan."))
        }
        guard wait else {
            Output.line(tr("Follow it with: pillbox keys status", "Suivez-le avec : pillbox keys status"))
            return
        }
        let final = try await follow(total: rotation?.total ?? 0, quiet: quiet)
        if connection.json {
            _ = try await connection.call(LocalAPI.keys)
            return
        }
        for line in KeysStatus.lines(final) { Output.line(line) }
        if (final.rotation?.unreadable ?? 0) > 0 { throw ExitCode(1) }
    }

    /// Polls the keys until the rotation is finished, drawing a progress line on a terminal.
    private func follow(total: Int, quiet: ConnectionOptions) async throws -> KeysResponse {
        let progress = ProgressLine(tr("Re-encrypting", "Rechiffrement"), total: total)
        defer { progress.finish() }
        while true {
            guard let keys = try await quiet.call(LocalAPI.keys)?.value else { throw ExitCode(76) }
            let rotation = keys.rotation
            progress.update(done: max(0, total - (rotation?.remaining ?? 0)))
            if rotation?.state != "running" { return keys }
            try await Task.sleep(for: .milliseconds(500))
        }
    }
}
