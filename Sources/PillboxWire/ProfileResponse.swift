import PillboxModel

/// `GET /v1/patients/{nam}/medications`: a patient's medications, local and central, newest first.
package struct ProfileResponse: Sendable, Equatable, Codable {
    /// The normalized NAM.
    package var nam: String
    package var medications: [ProfileEntry]
    /// How many of `medications` are unreadable entries (`problem: unreadable`).
    package var unreadableEntries: Int
    package var central: Central

    package init(nam: String, medications: [ProfileEntry], unreadableEntries: Int, central: Central) {
        self.nam = nam
        self.medications = medications
        self.unreadableEntries = unreadableEntries
        self.central = central
    }

    /// Where the central part of the profile stands.
    package struct Central: Sendable, Equatable, Codable {
        package var configured: Bool
        package var reachable: Bool
        /// When the central part was last fetched (RFC 3339), if ever.
        package var asOf: String?

        package init(configured: Bool, reachable: Bool, asOf: String?) {
            self.configured = configured
            self.reachable = reachable
            self.asOf = asOf
        }
    }
}
