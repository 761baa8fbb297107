import Foundation
import PillboxClient
import PillboxCrypto
import PillboxTestSupport

/// A daemon on a temporary folder with its own key file (and optional configuration file).
struct Fixture: Sendable {
    let directory: TemporaryDirectory
    let keyPath: String
    let daemon: DaemonProcess

    /// Prepares a folder, a key and (when given) a configuration file; does not start.
    init(config: [String: Any]? = nil, directoryMode: Int = 0o700, key: SecretKey = .random(),
         extraArguments: [String] = [], environment: [String: String] = [:]) throws {
        directory = try TemporaryDirectory(mode: directoryMode)
        keyPath = try TestKeys.write(key, to: directory.file("master.key"))
        var arguments = ["--key-file", keyPath, "--log-level", "trace"] + extraArguments
        if let config {
            let path = directory.file("pillbox.json")
            try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: path))
            arguments += ["--config", path]
        }
        daemon = DaemonProcess(directory: directory, arguments: arguments, environment: environment)
    }

    /// Starts the daemon and returns a client for it.
    static func running(config: [String: Any]? = nil, directoryMode: Int = 0o700) async throws -> (Fixture, LocalClient) {
        let fixture = try Fixture(config: config, directoryMode: directoryMode)
        try await fixture.daemon.start()
        return (fixture, fixture.daemon.client())
    }

    /// Stops the daemon and removes the folder.
    func finish(_ client: LocalClient? = nil) async {
        _ = try? await daemon.stop()
        directory.remove()
    }

    /// Every file of the data folder, by path, with its bytes.
    func dataFiles() throws -> [String: Data] {
        var files: [String: Data] = [:]
        for path in directory.allFiles() where path.hasPrefix(directory.file("data")) {
            files[path] = try Data(contentsOf: URL(fileURLWithPath: path))
        }
        return files
    }
}

extension LocalClient {
    func post(_ path: String, _ object: [String: Any]) async throws -> LocalResponse {
        try await send("POST", path, body: Samples.json(object))
    }

    func get(_ path: String) async throws -> LocalResponse {
        try await send("GET", path)
    }
}
