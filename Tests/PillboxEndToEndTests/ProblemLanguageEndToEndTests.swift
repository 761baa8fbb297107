import Foundation
import PillboxTestSupport
import Testing

@Suite("Problems over the real socket follow Accept-Language, also below the router", .serialized)
struct ProblemLanguageEndToEndTests {
    /// The JSON body of a raw HTTP answer.
    static func body(_ answer: Data) -> [String: Any] {
        let text = String(decoding: answer, as: UTF8.self)
        guard let start = text.range(of: "\r\n\r\n") else { return [:] }
        return (try? JSONSerialization.jsonObject(with: Data(text[start.upperBound...].utf8))) as? [String: Any] ?? [:]
    }

    @Test("A 408 after a French head is French, a 408 before any head and a 431 are English; a routed 404 is French")
    func belowTheRouter() async throws {
        let (fixture, client) = try await Fixture.running(config: LimitsTests.config)
        defer { Task { await fixture.finish(client) } }

        let french = try RawSocket(path: fixture.daemon.socketPath)
        french.send("POST /v1/dispenses HTTP/1.1\r\nHost: x\r\nAccept-Language: fr-CA\r\nContent-Length: 100\r\n\r\n{\"pharm")
        let frenchAnswer = french.receive(timeout: .seconds(5))
        #expect(RawSocket.status(of: frenchAnswer) == 408)
        #expect(String(decoding: frenchAnswer, as: UTF8.self).lowercased().contains("content-language: fr"))
        let frenchBody = Self.body(frenchAnswer)
        #expect(frenchBody["title"] as? String == "Délai de la demande dépassé")
        #expect(frenchBody["type"] as? String == "https://pillbox.local/problems/request-timeout")

        let partial = try RawSocket(path: fixture.daemon.socketPath)
        partial.send("GET /v1/sta")
        let partialAnswer = partial.receive(timeout: .seconds(5))
        #expect(RawSocket.status(of: partialAnswer) == 408)
        #expect(Self.body(partialAnswer)["title"] as? String == "Request timeout")

        let huge = try RawSocket(path: fixture.daemon.socketPath)
        huge.send("GET /v1/status HTTP/1.1\r\nHost: x\r\nAccept-Language: fr\r\nX-Filler: \(String(repeating: "a", count: 4000))\r\n\r\n")
        let hugeAnswer = huge.receive(timeout: .seconds(5))
        #expect(RawSocket.status(of: hugeAnswer) == 431)
        #expect(Self.body(hugeAnswer)["title"] as? String == "Request header fields too large")
        #expect(Self.body(hugeAnswer)["detail"] as? String == "the request headers exceed the configured limit (limits.maxHeaderBytes)")

        let routed = try RawSocket(path: fixture.daemon.socketPath)
        routed.send("GET /v1/nothing HTTP/1.1\r\nHost: x\r\nAccept-Language: fr-CA;q=0.9, en;q=0.5\r\nConnection: close\r\n\r\n")
        let routedAnswer = routed.receive(timeout: .seconds(5))
        #expect(RawSocket.status(of: routedAnswer) == 404)
        #expect(Self.body(routedAnswer)["title"] as? String == "Introuvable")
        #expect(Self.body(routedAnswer)["detail"] as? String == "cette ressource n'existe pas")
    }
}
