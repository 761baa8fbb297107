import Foundation
import PillboxWire

/// One call of the local API and the `PillboxWire` type its answer decodes into. The calls
/// themselves are listed in `LocalAPI`; `LocalClient.call(_:)` sends one.
package struct LocalEndpoint<Answer: WireAnswer>: Sendable {
    package var method: String
    /// Starts with `/`; path segments and query values percent-encoded.
    package var path: String
    /// A JSON body, for POSTs that take one.
    package var body: Data?
    /// The HTTP statuses whose body is an `Answer`; any other carries a problem.
    package var success: Set<Int>

    package init(_ method: String, _ path: String, query: [(String, String?)] = [], body: Data? = nil,
                success: Set<Int> = [200]) {
        self.method = method
        let items = query.compactMap { name, value in value.map { "\(name)=\(LocalAPI.escape($0))" } }
        self.path = items.isEmpty ? path : path + "?" + items.joined(separator: "&")
        self.body = body
        self.success = success
    }
}
