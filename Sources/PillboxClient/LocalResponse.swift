import Foundation
import PillboxModel

/// A response from the daemon.
package struct LocalResponse: Sendable {
    package var status: Int
    package var headers: [String: String]
    package var body: Data

    /// The body decoded as `type` with the shared decoder.
    package func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONCoding.decoder.decode(type, from: body)
    }

    /// The body as a JSON object, when it is one.
    package var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
    }
}
