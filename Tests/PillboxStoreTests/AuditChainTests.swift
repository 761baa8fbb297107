import Foundation
import PillboxCrypto
@testable import PillboxStore
import Testing

/// The chain's message is a format: entries hashed by an earlier release must still verify.
@Suite("The audit chain's hash: a fixed format")
struct AuditChainTests {
    static let key = KeyedHMACSHA256(key: Array(0..<32))

    /// The three codes were computed by Python's `hmac` from the format written out (each field
    /// as decimal or UTF-8 text, `at` as its bit pattern, optionals "=value" or "-", each
    /// prefixed "length:", after "pillbox-audit-v1" and the previous hash); they are also the
    /// codes the daemon gave when it built the message from strings (`stringBuilt` below).
    @Test("Pinned hashes: every field present, every optional absent, negative and extreme numbers, non-ASCII text")
    func pinned() {
        let prev = Array(UInt8(100)..<132)
        let full = AuditChain.hash(prev: prev, seq: 42, at: 1_764_000_000.125, uid: 1000, pid: 4242, role: "dispenser",
                                   action: "GET /v1/dispenses/{id}", dispenseID: "5f0c1e2a-0000-4000-8000-000000000001",
                                   outcome: 200, patientRef: "0123456789abcdef0123456789abcdef", key: Self.key)
        #expect(Hex.encode(full) == "22889bf83ca88753c607eb1cc5f355b26e4ab0a9b06b1d6f7cb2a83efdd103f1")
        let bare = AuditChain.hash(prev: AuditChain.genesis, seq: 1, at: 0, uid: 0, pid: 0, role: "none", action: "GET /v1/health",
                                   dispenseID: nil, outcome: 503, patientRef: nil, key: Self.key)
        #expect(Hex.encode(bare) == "d1ca5bf022f1158f2b35689a2343e402e2e28e4d16751993b8f8ccb635e2c5e0")
        let extreme = AuditChain.hash(prev: prev, seq: .max, at: -1.5e-300, uid: .max, pid: -1, role: "technicien·ne",
                                      action: "", dispenseID: "", outcome: -7, patientRef: "é", key: Self.key)
        #expect(Hex.encode(extreme) == "84f4c84de4e1e9a2763c25c69f9dd2f25ece8bbd905526924d8fba283fee40f8")
    }

    /// The message as the first release built it, from strings.
    static func stringBuilt(prev: [UInt8], seq: Int64, at: Double, uid: UInt32, pid: Int32, role: String, action: String,
                            dispenseID: String?, outcome: Int, patientRef: String?) -> [UInt8] {
        let fields = [String(seq), String(at.bitPattern), String(uid), String(pid), role, action,
                      dispenseID.map { "=" + $0 } ?? "-", String(outcome), patientRef.map { "=" + $0 } ?? "-"]
        var message = Array("pillbox-audit-v1".utf8) + prev
        for field in fields {
            let bytes = Array(field.utf8)
            message += Array("\(bytes.count):".utf8) + bytes
        }
        return message
    }

    @Test("20,000 random entries: the message is the string-built one, byte for byte")
    func sameMessageAsStrings() {
        var random = SystemRandomNumberGenerator()
        let texts = ["", "dispenser", "GET /v1/dispenses/{id}", "é", "x:y", "12:", "-", "=", "technicien·ne 🧪"]
        var differ = 0
        for _ in 0..<20_000 {
            let prev = (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) }
            let seq = Bool.random(using: &random) ? Int64.random(in: 1...1_000_000, using: &random) : Int64.random(in: .min ... .max, using: &random)
            let at = Bool.random(using: &random) ? Double.random(in: 0...2e9, using: &random) : Double(bitPattern: UInt64.random(in: 0 ... .max, using: &random))
            let uid = UInt32.random(in: 0 ... .max, using: &random), pid = Int32.random(in: .min ... .max, using: &random)
            let outcome = Bool.random(using: &random) ? [200, 201, 404, 503].randomElement(using: &random)! : Int.random(in: .min ... .max, using: &random)
            let role = texts.randomElement(using: &random)!, action = texts.randomElement(using: &random)!
            let dispenseID = Bool.random(using: &random) ? nil : texts.randomElement(using: &random)!
            let patientRef = Bool.random(using: &random) ? nil : texts.randomElement(using: &random)!
            let written = AuditChain.message(prev: prev, seq: seq, at: at, uid: uid, pid: pid, role: role, action: action,
                                             dispenseID: dispenseID, outcome: outcome, patientRef: patientRef)
            if written != Self.stringBuilt(prev: prev, seq: seq, at: at, uid: uid, pid: pid, role: role, action: action,
                                           dispenseID: dispenseID, outcome: outcome, patientRef: patientRef) { differ += 1 }
        }
        #expect(differ == 0)
    }
}
