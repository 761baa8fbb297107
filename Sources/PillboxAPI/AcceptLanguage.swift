import Foundation
import PillboxModel

extension Language {
    /// The answer's language from an `Accept-Language` header (RFC 9110 §12.5.4): French when
    /// a `fr` range is preferred over every `en` range (by q-value), English otherwise,
    /// including when the header is absent or names neither. `*` counts for English.
    package static func negotiate(acceptLanguage header: String?) -> Language {
        guard let header else { return .en }
        var best: [Language: Double] = [:]
        for item in header.split(separator: ",").prefix(32) {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let range = parts.first?.lowercased(), !range.isEmpty else { continue }
            var quality = 1.0
            for parameter in parts.dropFirst() where parameter.lowercased().hasPrefix("q=") {
                quality = Double(parameter.dropFirst(2)) ?? 0
            }
            let language: Language
            if range == "fr" || range.hasPrefix("fr-") {
                language = .fr
            } else if range == "en" || range.hasPrefix("en-") || range == "*" {
                language = .en
            } else {
                continue
            }
            best[language] = max(best[language] ?? 0, min(1, max(0, quality)))
        }
        return (best[.fr] ?? 0) > (best[.en] ?? 0) ? .fr : .en
    }
}
