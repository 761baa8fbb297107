import Foundation
import PillboxFHIR
import PillboxModel
@testable import PillboxUpload
import Synchronization
import Testing

/// A central record's answer is read by the strict parser, and by `JSONDecoder` where the
/// parser refuses it: the same answers are read as when `JSONDecoder` read them all.
@Suite("Central answers read as JSON")
struct CentralAnswerTests {
    static func foundation(_ text: String) -> JSONValue? {
        try? JSONCoding.decoder.decode(JSONValue.self, from: Data(text.utf8))
    }

    @Test("Each answer reads as JSONDecoder reads it, including what the strict parser refuses", arguments: [
        #"{"resourceType":"Bundle","type":"batch-response","entry":[{"response":{"status":"201 Created"}}]}"#,
        #"{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"invalid","diagnostics":"x"}]}"#,
        // Refused by the strict parser, read by JSONDecoder: a member named twice, a trailing comma.
        #"{"status": "200", "status": "201"}"#,
        #"{"entry": [1, 2,],}"#,
    ])
    func readsAsBefore(_ text: String) throws {
        let expected = try #require(Self.foundation(text))
        #expect(JSONValue.answer(Data(text.utf8)) == expected)
    }

    @Test("What neither reads is no answer", arguments: ["", "<html>Bad gateway</html>", #"{"a":"#, "\u{FF}"])
    func unreadable(_ text: String) {
        #expect(Self.foundation(text) == nil)
        #expect(JSONValue.answer(Data(text.utf8)) == nil)
    }

    /// Keeps each request's body; answers `answer`, or throws `thrown` when set.
    final class KeepingTransport: CentralTransport {
        let answer: String
        let thrown: (any Error & Sendable)?
        let bodies = Mutex<[Data]>([])

        init(answer: String, thrown: (any Error & Sendable)? = nil) {
            self.answer = answer
            self.thrown = thrown
        }

        func send(_ request: CentralRequest) async throws -> CentralResponse {
            bodies.withLock { $0.append(request.body ?? Data()) }
            if let thrown { throw thrown }
            return CentralResponse(status: 200, body: Data(answer.utf8))
        }

        func shutdown() async {}
    }

    static let pharmacy = PharmacyIdentity(system: "https://pharmacy.example/ids", pharmacyID: "7")

    static func record(_ n: Int) -> DispenseRecord {
        DispenseRecord(
            id: "id-\(n)", version: 1, status: .completed, recordedAt: "2026-11-01T10:00:00.000Z", reason: nil, sync: .init(state: .pending),
            dispense: Dispense(pharmacyDispenseId: "P/\(n) \"é\"", patient: .init(nam: "ABCD1234567\(n)", familyName: "Côté"),
                               medication: .init(din: "02242903", display: "Metformin 500 mg"), quantity: .init(value: 60.5, unit: "tablet"),
                               daysSupply: 30, whenHandedOver: "2026-11-01T10:00:00-05:00"))
    }

    @Test("An upload's body is the bytes JSONCoding.encoder writes for the same bundle; its batch-response is read")
    func uploadBody() async throws {
        let records = [Self.record(1), Self.record(2)]
        let transport = KeepingTransport(answer: #"{"resourceType":"Bundle","type":"batch-response","entry":["#
            + #"{"response":{"status":"201 Created"}},{"response":{"status":"200 OK"}}]}"#)
        let result = await CentralClient(transport: transport, pharmacy: Self.pharmacy).upload(records)
        guard case .answered(let outcomes) = result else { Issue.record("not answered: \(result)"); return }
        #expect(outcomes.map(\.status) == [201, 200])
        let bundle = FHIRMapping.batchBundle(records.map { FHIRMapping.medicationDispense($0, pharmacy: Self.pharmacy) })
        #expect(transport.bodies.withLock { $0 } == [try JSONCoding.encoder.encode(bundle)])
    }

    @Test("A transport error other than TransportError: no answer, named by its type alone")
    func otherError() async {
        let transport = KeepingTransport(answer: "", thrown: CancellationError())
        let result = await CentralClient(transport: transport, pharmacy: Self.pharmacy).upload([Self.record(1)])
        guard case .transportFailed(let error) = result else { Issue.record("not a transport failure: \(result)"); return }
        #expect(error.message == "the request failed (CancellationError)")
    }
}
