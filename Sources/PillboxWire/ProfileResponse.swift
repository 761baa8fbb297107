import PillboxModel

/// `GET /v1/patients/{nam}/medications`: a patient's medications, local and central, newest first.
public struct ProfileResponse: Sendable, Equatable, Codable {
    /// The normalized NAM.
    public var nam: String
    public var medications: [ProfileEntry]
    /// How many of `medications` are unreadable entries (`problem: unreadable`).
    public var unreadableEntries: Int
    public var central: Central

    public init(nam: String, medications: [ProfileEntry], unreadableEntries: Int, central: Central) {
        self.nam = nam
        self.medications = medications
        self.unreadableEntries = unreadableEntries
        self.central = central
    }

    /// Where the central part of the profile stands.
    public struct Central: Sendable, Equatable, Codable {
        public var configured: Bool
        public var reachable: Bool
        /// When the central part was last fetched (RFC 3339), if ever.
        public var asOf: String?

        public init(configured: Bool, reachable: Bool, asOf: String?) {
            self.configured = configured
            self.reachable = reachable
            self.asOf = asOf
        }
    }
}
