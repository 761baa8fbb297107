import ArgumentParser
import PillboxConsole

/// `--data-dir`, `--key-file`, `--config`: check a data folder directly, with the daemon stopped.
struct OfflineOptions: ParsableArguments {
    @Option(name: .long, help: "Check this data folder directly, with pillboxd stopped (e.g. /var/lib/pillbox).")
    var dataDir: String?

    @Option(name: .long, help: "The master key file, for --data-dir (mode 0600, owned by root).")
    var keyFile: String?

    @Option(name: .long, help: "Read the data folder and the key file from pillboxd's configuration file; pillboxd must be stopped.")
    var config: String?

    /// True when any of the three is given: the check then runs in this process, not in the daemon.
    var isOffline: Bool { dataDir != nil || keyFile != nil || config != nil }

    /// The folder they name, or the reason it cannot be opened, printed, as an exit code.
    func folder() throws -> OfflineDataFolder {
        do {
            return try OfflineDataFolder(dataDir: dataDir, keyFile: keyFile, configFile: config)
        } catch {
            throw OfflineOptions.report(error)
        }
    }

    /// Opens the folder read-only, or prints why not and throws its exit code.
    func open(_ folder: OfflineDataFolder) throws -> ReadOnlyStoreHandle {
        do {
            return ReadOnlyStoreHandle(folder: folder, store: try folder.openReadOnly())
        } catch let error as OfflineError {
            throw OfflineOptions.report(error)
        }
    }

    /// Prints `error` in the tool's language and returns its exit code.
    static func report(_ error: OfflineError) -> ExitCode {
        var text = error.localized
        if error.code == .daemonRunning {
            text += tr(", or leave out --data-dir, --key-file and --config to check through the running daemon",
                       ", ou lancez la vérification sans --data-dir, --key-file ni --config pour passer par pillboxd")
        }
        Output.error(text)
        return error.exitCode
    }
}
