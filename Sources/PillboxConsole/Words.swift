import Foundation
import PillboxModel

/// The `pillbox` tool's language: French when the first of `LC_ALL`, `LC_MESSAGES`, `LANG`
/// that is set (and not empty) starts with `fr`, English otherwise (POSIX precedence).
package enum Words {
    /// The language of this process, read once from its environment.
    package static let language: Language = language(environment: ProcessInfo.processInfo.environment)

    /// The language `environment` asks for.
    package static func language(environment: [String: String]) -> Language {
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let value = environment[name], !value.isEmpty {
                return value.lowercased().hasPrefix("fr") ? .fr : .en
            }
        }
        return .en
    }
}

/// A message of the tool, written in both languages at the place it is used (so neither can
/// be missing); returns the one for `language` (default: the process's).
package func tr(_ english: String, _ french: String, _ language: Language = Words.language) -> String {
    language == .fr ? french : english
}
