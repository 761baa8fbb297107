/// A text the local API shows people, written in both of its languages where it is defined
/// (`Phrase("Not found", fr: "Introuvable")`), so that neither can be missing; rendered in the
/// request's language only when the answer is written (`text(_:)`).
///
/// Deliberately not `ExpressibleByStringLiteral`: a bare string cannot stand in for one.
package struct Phrase: Sendable, Equatable, Hashable {
    /// The English text.
    package var en: String
    /// The French text (Quebec usage).
    package var fr: String

    /// A text from its English and its French.
    package init(_ english: String, fr french: String) {
        en = english
        fr = french
    }

    /// The text in `language`.
    package func text(_ language: Language) -> String {
        switch language {
        case .en: en
        case .fr: fr
        }
    }
}

extension Phrase {
    /// The rule of a NAM, for a field or query parameter that carries one.
    package static let namShape = Phrase("must be 4 letters followed by 8 digits", fr: "doit compter 4 lettres suivies de 8 chiffres")
    /// The rule of a date parameter or field.
    package static let dateShape = Phrase("must be a date as YYYY-MM-DD", fr: "doit être une date au format AAAA-MM-JJ")
}
