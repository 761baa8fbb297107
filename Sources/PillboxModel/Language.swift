/// A language the local API answers in (messages of findings, problem details, field errors).
package enum Language: String, Sendable, Equatable, CaseIterable {
    case en
    case fr
}
