import ArgumentParser

/// `pillbox`: the technician's and integrator's tool. Talks to `pillboxd` over its socket.
@main
struct PillboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pillbox",
        abstract: "Look after a Pillbox: status, doctor, dispenses, profiles, the upload queue.",
        discussion: """
            Talks to pillboxd over its socket (--socket, default $PILLBOX_SOCKET, else \
            /run/pillbox/pillbox.sock). Most commands need the admin role: run them with sudo.
            Messages are in French when LC_ALL, LC_MESSAGES or LANG starts with "fr".
            Every command takes --json for scripts. `pillbox help COMMAND` explains one.

            Daily check:   sudo pillbox status      (exit 0 healthy, 1 degraded, 2 down)
            Install check: sudo pillbox doctor      (exit 0 when no check failed)
            Completions:   pillbox --generate-completion-script bash > /etc/bash_completion.d/pillbox
            """,
        subcommands: [Status.self, Doctor.self, Dispense.self, Profile.self, Queue.self, Retry.self, Sync.self, Verify.self, Audit.self,
                      Backup.self, Restore.self, Export.self, Keys.self])
}
