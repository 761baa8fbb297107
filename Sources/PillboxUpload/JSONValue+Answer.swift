import Foundation
import PillboxModel

extension JSONValue {
    /// A central record's answer as JSON: read by the strict parser of request bodies (several
    /// times faster than `JSONDecoder` into `JSONValue`), and by `JSONDecoder` when the strict
    /// parser refuses it, so the answers read are exactly those read before (`JSONDecoder`
    /// also takes a member named twice and a trailing comma). Nil when neither reads it.
    static func answer(_ body: Data) -> JSONValue? {
        if case .success(let value) = body.withUnsafeBytes({ JSONValue.parse($0) }) { return value }
        return try? JSONCoding.decoder.decode(JSONValue.self, from: body)
    }
}
