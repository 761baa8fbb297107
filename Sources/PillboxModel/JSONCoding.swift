import Foundation

/// The one JSON encoder and decoder of Pillbox's own documents: API answers, problems, the
/// tool's decoding. Keys are sorted (stable bytes for tests, hashes and diffs) and slashes are
/// not escaped. Shared instances: configure nothing on them.
package enum JSONCoding {
    /// Sorted keys, unescaped slashes.
    package static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Foundation's defaults.
    package static let decoder = JSONDecoder()
}
