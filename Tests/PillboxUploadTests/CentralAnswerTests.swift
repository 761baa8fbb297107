import Foundation
import PillboxModel
@testable import PillboxUpload
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
}
