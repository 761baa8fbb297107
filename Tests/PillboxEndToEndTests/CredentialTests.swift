import Foundation
import PillboxClient
import PillboxCrypto
import PillboxTestSupport
import Testing

/// The unit's default key path (`LoadCredentialEncrypted=`): the master key sealed by
/// `systemd-creds`, unsealed by systemd into `$CREDENTIALS_DIRECTORY` at each start. Here
/// `systemd-creds decrypt` plays systemd's part, which works without systemd as PID 1.
@Suite("The master key as a credential sealed by systemd-creds", .serialized)
struct CredentialTests {
    static let systemdCreds = ["/usr/bin/systemd-creds", "/bin/systemd-creds"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test("A store written with a key file reopens from the same key sealed with --with-key=host; another key exits 78",
          .enabled(if: systemdCreds != nil,
                   "systemd-creds is not installed (Debian: apt-get install systemd); the sealed-credential path is untested"))
    func hostSealedCredential() async throws {
        let creds = try #require(Self.systemdCreds)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let key = SecretKey.random()
        let keyPath = try TestKeys.write(key, to: directory.file("master.key"))

        let withKeyFile = DaemonProcess(directory: directory, arguments: ["--key-file", keyPath])
        try await withKeyFile.start()
        let created = try await withKeyFile.client().post("/v1/dispenses", Samples.dispense(id: "CRED-1", lot: "LCRED7"))
        #expect(created.status == 201)
        let id = try #require(created.json?["id"] as? String)
        #expect(try await withKeyFile.stop() == 0)

        let sealed = directory.file("master.key.cred")
        try Self.run(creds, ["encrypt", "--with-key=host", "--name=pillbox-master-key", keyPath, sealed])
        let keyText = try String(contentsOfFile: keyPath, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let sealedBytes = try Data(contentsOf: URL(fileURLWithPath: sealed))
        #expect(!sealedBytes.isEmpty)
        #expect(String(decoding: sealedBytes, as: UTF8.self).contains(keyText) == false)

        let credentials = try Self.unseal(creds, sealed, into: directory.file("credentials"))
        let fromCredential = DaemonProcess(directory: directory, environment: ["CREDENTIALS_DIRECTORY": credentials])
        try await fromCredential.start()
        let read = try await fromCredential.client().send("GET", "/v1/dispenses/\(id)")
        #expect(read.status == 200)
        #expect(read.json?["lot"] as? String == "LCRED7")
        #expect(fromCredential.output.contains("\(key.keyID)"))
        #expect(try await fromCredential.stop() == 0)

        // A credential sealed from another key: the daemon refuses the folder (78) and changes no
        // data. The `-shm` file is left out: it is SQLite's WAL index, rebuilt by every open
        // (the refused start reads the key table), and holds no records.
        let otherKeyPath = try TestKeys.write(.random(), to: directory.file("other.key"))
        let otherSealed = directory.file("other.key.cred")
        try Self.run(creds, ["encrypt", "--with-key=host", "--name=pillbox-master-key", otherKeyPath, otherSealed])
        let otherCredentials = try Self.unseal(creds, otherSealed, into: directory.file("other-credentials"))
        let database = try Self.dataFiles(directory)
        #expect(database.keys.contains { $0.hasSuffix("pillbox.sqlite") })
        let wrongKey = DaemonProcess(directory: directory, environment: ["CREDENTIALS_DIRECTORY": otherCredentials])
        #expect(try await wrongKey.runToExit() == 78)
        let after = try Self.dataFiles(directory)
        let changed = Set(database.keys).union(after.keys).filter { database[$0] != after[$0] }
        #expect(changed.sorted() == [])
    }

    @Test("systemd-creds refuses a credential unsealed under another name than pillbox-master-key",
          .enabled(if: systemdCreds != nil, "systemd-creds is not installed (Debian: apt-get install systemd)"))
    func credentialNameIsBound() throws {
        let creds = try #require(Self.systemdCreds)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let keyPath = try TestKeys.write(.random(), to: directory.file("master.key"))
        let sealed = directory.file("master.key.cred")
        try Self.run(creds, ["encrypt", "--with-key=host", "--name=pillbox-master-key", keyPath, sealed])
        #expect(throws: DaemonTestError.self) {
            try Self.run(creds, ["decrypt", "--name=another-name", sealed, directory.file("out")])
        }
        #expect(FileManager.default.fileExists(atPath: directory.file("out")) == false)
    }

    /// Unseals `sealed` as systemd does for `LoadCredentialEncrypted=`: into a 0700 folder, as
    /// `pillbox-master-key`, mode 0400. Returns the folder.
    static func unseal(_ creds: String, _ sealed: String, into folder: String) throws -> String {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o700])
        let plain = (folder as NSString).appendingPathComponent(MasterKeySource.credentialName)
        try run(creds, ["decrypt", "--name=pillbox-master-key", sealed, plain])
        try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: plain)
        return folder
    }

    /// Runs `tool` and throws with its output when it exits non-zero.
    static func run(_ tool: String, _ arguments: [String]) throws {
        let result = try Spawn.run(tool, arguments, mergeErrors: true)
        guard result.code == 0 else {
            throw DaemonTestError(message: "\(tool) \(arguments.first ?? "") exited \(result.code): " + result.out)
        }
    }

    /// The data folder's files and their bytes, but SQLite's WAL index (`-shm`).
    static func dataFiles(_ directory: TemporaryDirectory) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for path in directory.allFiles() where path.hasPrefix(directory.file("data")) && !path.hasSuffix("-shm") {
            files[path] = try Data(contentsOf: URL(fileURLWithPath: path))
        }
        return files
    }
}
