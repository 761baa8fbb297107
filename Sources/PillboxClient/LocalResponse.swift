import Foundation
import PillboxModel

/// A response from the daemon.
public struct LocalResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data

    /// The body decoded as `type` with the shared decoder.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONCoding.decoder.decode(type, from: body)
    }

    /// The body as a JSON object, when it is one.
    public var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
    }
}
