import Foundation
import PillboxCrypto
import PillboxTestSupport
import Testing

/// `pillbox doctor`'s key check with the key handed over as a systemd credential: with
/// `$CREDENTIALS_DIRECTORY` set, it checks the unsealed copy there, the file the daemon reads.
@Suite("pillbox doctor with the key as a systemd credential", .serialized)
struct DoctorCredentialTests {
    @Test("With CREDENTIALS_DIRECTORY set and no keyFile, the key check examines $CREDENTIALS_DIRECTORY/pillbox-master-key: pass at 0400, fail at 0644 and when missing")
    func checksTheUnsealedCredential() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let credentials = directory.file("credentials")
        try FileManager.default.createDirectory(atPath: credentials, withIntermediateDirectories: false)
        let keyPath = (credentials as NSString).appendingPathComponent(MasterKeySource.credentialName)
        _ = try TestKeys.write(.random(), to: keyPath)
        try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: keyPath)
        let configPath = directory.file("pillbox.json")
        let config: [String: Any] = ["dataDir": directory.file("data"), "socket": directory.file("s")]
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: configPath))
        let environment = ["CREDENTIALS_DIRECTORY": credentials]

        // The daemon starts from that credential (no keyFile in its configuration).
        let daemon = DaemonProcess(directory: directory, arguments: ["--config", configPath], environment: environment)
        try await daemon.start()
        #expect(try await daemon.stop() == 0)

        func keyFinding(_ environment: [String: String]) async throws -> DoctorJSON.Finding? {
            let result = try await runPillbox(["doctor", "--config", configPath, "--json", "--timedatectl", directory.file("none"),
                                               "--min-free-disk-percent", "1"], environment: environment)
            return try JSONDecoder().decode(DoctorJSON.self, from: Data(result.out.utf8)).finding("key")
        }
        let good = try #require(try await keyFinding(environment))
        #expect(good.outcome == "pass")
        #expect(good.detail == "\(keyPath) (root, 0400)")

        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: keyPath)
        let open = try #require(try await keyFinding(environment))
        #expect(open.outcome == "fail")
        #expect(open.detail == "master key \(keyPath) has mode 0644: others may read it")
        #expect(open.fix == "chmod 600 \(keyPath)")

        try FileManager.default.removeItem(atPath: keyPath)
        let missing = try #require(try await keyFinding(environment))
        #expect(missing.outcome == "fail")
        #expect(missing.detail == "master key \(keyPath) is missing")
        #expect(missing.fix?.contains("LoadCredentialEncrypted=pillbox-master-key:") == true)
    }
}
