/// A FHIR document from the central record that does not have the shape Pillbox expects.
///
/// The message names the element and the rule it breaks, never a value taken from the
/// document, so it can be logged without leaking patient data.
package struct FHIRFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, e.g. `Bundle.type must be "batch-response", not "searchset"`.
    package var message: String

    /// An error with the given message.
    package init(_ message: String) { self.message = message }

    package var description: String { "invalid FHIR content: \(message)" }
}
