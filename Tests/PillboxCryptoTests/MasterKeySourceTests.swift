import Foundation
import PillboxCrypto
import Testing

#if canImport(Glibc)
import Glibc
#endif

struct MasterKeySourceTests {
    let key = SecretKey.random()
    var keyHex: String { Hex.encode(key.bytes) }

    /// Asserts that loading fails with `code` and that the message never contains the key.
    func expectLoadFailure(
        _ code: KeyLoadError.Code, sourceLocation: SourceLocation = #_sourceLocation,
        _ load: () throws(KeyLoadError) -> SecretKey
    ) {
        let error = #expect(throws: KeyLoadError.self, sourceLocation: sourceLocation) { try load() }
        #expect(error?.code == code, sourceLocation: sourceLocation)
        if let error {
            let text = error.description + error.message
            #expect(!text.lowercased().contains(String(keyHex.prefix(16))), sourceLocation: sourceLocation)
            #expect(!text.contains(Hex.encode(Array(key.bytes.prefix(8))).uppercased()), sourceLocation: sourceLocation)
        }
    }

    // MARK: Key file content

    @Test("Exactly 32 raw bytes load as the key")
    func rawBytesLoad() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(key.bytes, to: "master.key", mode: 0o600)
        #expect(try MasterKeySource.load(keyFile: path) == key)
    }

    @Test("A raw key whose last byte is a newline character still loads")
    func rawKeyEndingInNewlineByteLoads() throws {
        let directory = try TemporaryDirectory()
        let bytes = Array(key.bytes.dropLast()) + [0x0a]
        let path = try directory.write(bytes, to: "master.key", mode: 0o600)
        #expect(try MasterKeySource.load(keyFile: path).bytes == bytes)
    }

    @Test("32 raw bytes followed by one newline or CRLF load", arguments: [[0x0a], [0x0d, 0x0a]] as [[UInt8]])
    func rawBytesWithNewlineLoad(_ newline: [UInt8]) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(key.bytes + newline, to: "master.key", mode: 0o600)
        #expect(try MasterKeySource.load(keyFile: path) == key)
    }

    @Test("64 hex characters load with or without one trailing newline or CRLF", arguments: ["", "\n", "\r\n"])
    func hexLoads(_ newline: String) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(Array((keyHex + newline).utf8), to: "master.key", mode: 0o600)
        #expect(try MasterKeySource.load(keyFile: path) == key)
    }

    @Test("Uppercase hex loads")
    func uppercaseHexLoads() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(Array((keyHex.uppercased() + "\n").utf8), to: "master.key", mode: 0o600)
        #expect(try MasterKeySource.load(keyFile: path) == key)
    }

    @Test("A key file readable only by its owner (0400) loads")
    func ownerReadOnlyLoads() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(Array(keyHex.utf8), to: "master.key", mode: 0o400)
        #expect(try MasterKeySource.load(keyFile: path) == key)
    }

    @Test("Content that is neither 32 raw bytes nor 64 hex characters is malformed", arguments: [
        "31 raw bytes", "63 hex", "65 hex", "64 hex + two newlines", "64 non-hex", "hex with a space", "33 raw bytes", "empty",
    ])
    func malformedContent(_ kind: String) throws {
        let content: [UInt8] =
            switch kind {
            case "31 raw bytes": Array(key.bytes.prefix(31))
            case "33 raw bytes": key.bytes + [0x00]
            case "63 hex": Array(keyHex.prefix(63).utf8)
            case "65 hex": Array((keyHex + "a").utf8)
            case "64 hex + two newlines": Array((keyHex + "\n\n").utf8)
            case "64 non-hex": Array((String(keyHex.dropLast()) + "g").utf8)
            case "hex with a space": Array((" " + keyHex).utf8)
            default: []
            }
        let directory = try TemporaryDirectory()
        let path = try directory.write(content, to: "master.key", mode: 0o600)
        expectLoadFailure(.malformed) { () throws(KeyLoadError) in try MasterKeySource.load(keyFile: path) }
        let error = #expect(throws: KeyLoadError.self) { try MasterKeySource.load(keyFile: path) }
        #expect(error?.message.contains("32 raw bytes or 64 hexadecimal characters") == true)
        #expect(error?.path == path)
    }

    // MARK: Key file permissions and type

    @Test("A key file with group or other permission bits is refused", arguments: [0o644, 0o640, 0o604, 0o620, 0o601] as [mode_t])
    func tooPermissiveModes(_ mode: mode_t) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(Array(keyHex.utf8), to: "master.key", mode: mode)
        expectLoadFailure(.tooPermissive(mode: UInt32(mode))) { () throws(KeyLoadError) in
            try MasterKeySource.load(keyFile: path)
        }
    }

    @Test("The too-permissive message names the file, the mode and the chmod fix")
    func tooPermissiveMessage() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(Array(keyHex.utf8), to: "master.key", mode: 0o644)
        let error = #expect(throws: KeyLoadError.self) { try MasterKeySource.load(keyFile: path) }
        #expect(
            error?.message
                == "key file \(path) is readable by group or others (mode 0644); run: chmod 600 \(path)")
    }

    @Test("A missing key file is reported as missing")
    func missingFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("absent.key")
        expectLoadFailure(.missing) { () throws(KeyLoadError) in try MasterKeySource.load(keyFile: path) }
    }

    @Test("A directory is not a key file")
    func directoryIsRefused() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("subdir")
        #expect(mkdir(path, 0o700) == 0)
        expectLoadFailure(.notRegularFile) { () throws(KeyLoadError) in try MasterKeySource.load(keyFile: path) }
    }

    @Test("A symbolic link to a good key file is refused")
    func symlinkIsRefused() throws {
        let directory = try TemporaryDirectory()
        let target = try directory.write(Array(keyHex.utf8), to: "real.key", mode: 0o600)
        let link = directory.file("link.key")
        #expect(symlink(target, link) == 0)
        expectLoadFailure(.notRegularFile) { () throws(KeyLoadError) in try MasterKeySource.load(keyFile: link) }
    }

    // MARK: Owner

    @Test("A key file owned by another uid is refused whatever its mode, with the chown fix",
          .enabled(if: geteuid() == 0, "chown to another uid needs root"))
    func keyFileOwnedByAnotherUserIsRefused() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(Array(keyHex.utf8), to: "master.key", mode: 0o600)
        #expect(chown(path, 65534, 65534) == 0)
        expectLoadFailure(.wrongOwner(uid: 65534)) { () throws(KeyLoadError) in try MasterKeySource.load(keyFile: path) }
        let error = #expect(throws: KeyLoadError.self) { try MasterKeySource.load(keyFile: path) }
        #expect(error?.message == "key file \(path) belongs to uid 65534, neither root nor the daemon's user (uid 0); "
            + "another user could replace the key: run: chown root: \(path), then check the key is the right one")
        // The same file loads once root owns it again.
        #expect(chown(path, 0, 0) == 0)
        #expect(try MasterKeySource.load(keyFile: path) == key)
    }

    @Test("The owner rule follows allowedOwners: the file's own uid passes, any other set refuses it")
    func allowedOwnersDecide() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(key.bytes, to: "master.key", mode: 0o600)
        let me = UInt32(geteuid())
        #expect(try MasterKeySource.load(keyFile: path, allowedOwners: [me]) == key)
        expectLoadFailure(.wrongOwner(uid: me)) { () throws(KeyLoadError) in
            try MasterKeySource.load(keyFile: path, allowedOwners: [me &+ 1])
        }
        try directory.write(key.bytes, to: "pillbox-master-key", mode: 0o400)
        expectLoadFailure(.wrongOwner(uid: me)) { () throws(KeyLoadError) in
            try MasterKeySource.load(credentialsDirectory: directory.path, allowedOwners: [me &+ 1])
        }
    }

    // MARK: systemd credentials

    @Test("The master key loads from a credentials directory with mode 0400 or 0440", arguments: [0o400, 0o440] as [mode_t])
    func credentialLoads(_ mode: mode_t) throws {
        let directory = try TemporaryDirectory()
        try directory.write(Array((keyHex + "\n").utf8), to: "pillbox-master-key", mode: mode)
        #expect(try MasterKeySource.load(credentialsDirectory: directory.path) == key)
        #expect(try MasterKeySource.load(credentialsDirectory: directory.path + "/") == key)
    }

    @Test("A credential with any permission bit for others is refused", arguments: [0o444, 0o404, 0o402] as [mode_t])
    func credentialForOthersIsRefused(_ mode: mode_t) throws {
        let directory = try TemporaryDirectory()
        try directory.write(key.bytes, to: "pillbox-master-key", mode: mode)
        expectLoadFailure(.tooPermissive(mode: UInt32(mode))) { () throws(KeyLoadError) in
            try MasterKeySource.load(credentialsDirectory: directory.path)
        }
    }

    @Test("A missing credential is reported as missing with a hint about LoadCredential")
    func missingCredential() throws {
        let directory = try TemporaryDirectory()
        let error = #expect(throws: KeyLoadError.self) { try MasterKeySource.load(credentialsDirectory: directory.path) }
        #expect(error?.code == .missing)
        #expect(error?.path == directory.file("pillbox-master-key"))
        #expect(error?.message.contains("LoadCredential=") == true)
    }

    // MARK: Development keys

    @Test("createDevKey writes 64 hex characters and a newline with mode 0600, and the key loads back")
    func createDevKeyWritesOwnerOnlyHex() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("dev.key")
        let created = try MasterKeySource.createDevKey(at: path)
        #expect(directory.mode(of: path) == 0o600)
        let content = try String(contentsOfFile: path, encoding: .utf8)
        #expect(content == Hex.encode(created.bytes) + "\n")
        #expect(try MasterKeySource.load(keyFile: path) == created)
        // Only the key file is left behind: no temporary files.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["dev.key"])
    }

    @Test("createDevKey writes the key it is given, so a key checked first can be saved afterwards")
    func createDevKeyWritesAGivenKey() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("dev.key")
        #expect(try MasterKeySource.createDevKey(at: path, key: key) == key)
        #expect(try MasterKeySource.load(keyFile: path) == key)
    }

    @Test("createDevKey refuses to overwrite an existing file and leaves it untouched")
    func createDevKeyRefusesToOverwrite() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(Array(keyHex.utf8), to: "dev.key", mode: 0o600)
        expectLoadFailure(.alreadyExists) { () throws(KeyLoadError) in try MasterKeySource.createDevKey(at: path) }
        #expect(try MasterKeySource.load(keyFile: path) == key)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["dev.key"])
    }

    @Test("createDevKey in a missing directory fails with an I/O error")
    func createDevKeyInMissingDirectory() throws {
        let directory = try TemporaryDirectory()
        let error = #expect(throws: KeyLoadError.self) {
            try MasterKeySource.createDevKey(at: directory.file("no-such-dir/dev.key"))
        }
        #expect(error?.code == .io)
    }
}
