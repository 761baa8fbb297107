import ArgumentParser

/// `pillbox`: the technician's and integrator's tool. Talks to `pillboxd` over its socket.
@main
struct PillboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pillbox",
        abstract: "Look after a Pillbox: status, dispenses, profiles, the upload queue.",
        subcommands: [Status.self, Dispense.self, Profile.self, Queue.self, Retry.self, Sync.self, Keys.self])
}
