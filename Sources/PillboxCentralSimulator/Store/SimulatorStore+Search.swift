import GRDB

/// A subject identifier to search by: `system|value`, or `value` alone for any system.
struct SubjectToken: Sendable, Equatable {
    /// The identifier system; nil matches any.
    var system: String?
    /// The identifier value.
    var value: String

    /// Reads the FHIR token form `system|value` (or `value`).
    init(_ text: String) {
        if let bar = text.firstIndex(of: "|") {
            system = String(text[..<bar])
            value = String(text[text.index(after: bar)...])
        } else {
            system = nil
            value = String(text)
        }
    }
}

/// One page of a search.
struct SearchPage: Sendable {
    /// Matches in all pages.
    var total: Int
    /// This page's matches, in order.
    var resources: [StoredResource]
}

extension SimulatorStore {
    /// Resources whose subject matches `subject` (all when nil), newest `whenHandedOver` first
    /// (those without one last), then by id.
    func search(subject: SubjectToken?, count: Int, offset: Int) async throws -> SearchPage {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let subject {
            if let system = subject.system {
                conditions.append("subjectSystem = ?")
                arguments += [system]
            }
            conditions.append("subjectValue = ?")
            arguments += [subject.value]
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let filterArguments = arguments
        let pageArguments = arguments + [count, offset]
        return try await read { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM dispense \(filter)", arguments: filterArguments) ?? 0
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, versionId, lastUpdatedMillis, json FROM dispense \(filter)
                    ORDER BY handedOverMillis DESC, id LIMIT ? OFFSET ?
                    """,
                arguments: pageArguments)
            return SearchPage(total: total, resources: rows.map(Self.storedResource))
        }
    }
}
