import Foundation
import PillboxTestSupport
import Testing

@Suite("The pillbox tool against the real daemon", .serialized)
struct ToolTests {
    /// Runs the built `pillbox` with `arguments`; returns its exit code, stdout and stderr.
    static func pillbox(_ arguments: [String]) throws -> (code: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: DaemonProcess.executablePath("pillbox"))
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: errors, as: UTF8.self))
    }

    @Test("status, dispense, profile, queue and sync print readable answers and exit with meaningful codes")
    func toolCommands() async throws {
        let (fixture, _) = try await Fixture.running()
        defer { Task { await fixture.finish() } }
        let socket = ["--socket", fixture.daemon.socketPath]

        let status = try Self.pillbox(["status"] + socket)
        #expect(status.code == 0)
        #expect(status.out.contains("Records:         0"))
        #expect(status.out.contains("Central record:  not configured (local-only mode)"))

        let record = fixture.directory.file("record.json")
        try Samples.json(Samples.dispense(id: "TOOL-1")).write(to: URL(fileURLWithPath: record))
        let first = try Self.pillbox(["dispense", "--file", record] + socket)
        #expect(first.code == 0)
        #expect(first.out.hasPrefix("Recorded dispense "))
        #expect(first.out.contains("version 1 (upload pending)"))
        let again = try Self.pillbox(["dispense", "--file", record] + socket)
        #expect(again.code == 0)
        #expect(again.out.hasPrefix("Already recorded (same content), nothing changed:"))

        let bad = fixture.directory.file("bad.json")
        try Data(#"{"pharmacyDispenseId":"TOOL-2","patient":{"nam":"nope"},"medication":{"din":"02242903","display":"x"},"extra":1}"#.utf8)
            .write(to: URL(fileURLWithPath: bad))
        let refused = try Self.pillbox(["dispense", "--file", bad] + socket)
        #expect(refused.code == 65)
        #expect(refused.err.contains("patient.nam: must be 4 letters followed by 8 digits"))
        #expect(refused.err.contains("$: has an unknown field (not named here)"))
        #expect(!refused.err.contains("extra"))

        let profile = try Self.pillbox(["profile", "trem 5002 0312"] + socket)
        #expect(profile.code == 0)
        #expect(profile.out.hasPrefix("1 medication(s) for TREM50020312"))
        #expect(profile.out.contains("DIN 02242903  Metformin 500 mg tablet × 60 tablet  [completed] (local)"))

        let queue = try Self.pillbox(["queue", "--state", "pending"] + socket)
        #expect(queue.code == 0)
        #expect(queue.out.hasPrefix("1 entry"))
        #expect(queue.out.contains("#1  pending"))

        let sync = try Self.pillbox(["sync"] + socket)
        #expect(sync.code == 75)
        #expect(sync.err.contains("No central record configured"))

        let json = try Self.pillbox(["status", "--json"] + socket)
        let parsed = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any]
        #expect(parsed?["records"] as? Int == 1)

        let missing = try Self.pillbox(["status", "--socket", fixture.directory.file("nothing.sock")])
        #expect(missing.code == 69)
        #expect(missing.err.contains("cannot reach pillboxd"))
    }
}
