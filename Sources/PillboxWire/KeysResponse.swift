import PillboxModel

/// `GET /v1/keys` and `POST /v1/keys/rotate`: the data folder's keys and the last rotation of
/// the data key (docs/operations.md). Ids, purposes, times and counts: nothing secret.
package struct KeysResponse: Sendable, Equatable, Codable {
    /// Id of the master key the daemon runs with (first 8 bytes of its SHA-256, hex).
    package var masterKeyId: String
    /// Every working key, by purpose then age.
    package var keys: [Key]
    /// The last rotation of the data key; absent when the data key was never rotated.
    package var rotation: Rotation?

    package init(masterKeyId: String, keys: [Key], rotation: Rotation?) {
        self.masterKeyId = masterKeyId
        self.keys = keys
        self.rotation = rotation
    }

    /// One working key.
    package struct Key: Sendable, Equatable, Codable {
        package var id: String
        /// `data`, `index` or `audit`.
        package var purpose: String
        /// `current` (in use), or `retired` (a data key a rotation replaced, kept while payloads still name it).
        package var state: String
        /// RFC 3339.
        package var createdAt: String
        package var ageSeconds: Int
        /// Payloads still sealed under this retired key; absent for a key in use.
        package var rows: Int?

        package init(id: String, purpose: String, state: String, createdAt: String, ageSeconds: Int, rows: Int?) {
            self.id = id
            self.purpose = purpose
            self.state = state
            self.createdAt = createdAt
            self.ageSeconds = ageSeconds
            self.rows = rows
        }
    }

    /// A rotation of the data key and how far it went.
    package struct Rotation: Sendable, Equatable, Codable {
        /// `running` or `finished`.
        package var state: String
        package var fromKeyId: String
        package var toKeyId: String
        /// RFC 3339.
        package var startedAt: String
        /// RFC 3339; absent while running.
        package var finishedAt: String?
        /// Payloads under the old key when it started.
        package var total: Int
        /// Payloads re-encrypted so far.
        package var rewritten: Int
        /// Payloads still under a retired key.
        package var remaining: Int
        /// Payloads that did not open (altered rows) and stay under the old key, which is kept.
        package var unreadable: Int

        package init(state: String, fromKeyId: String, toKeyId: String, startedAt: String, finishedAt: String?,
                    total: Int, rewritten: Int, remaining: Int, unreadable: Int) {
            self.state = state
            self.fromKeyId = fromKeyId
            self.toKeyId = toKeyId
            self.startedAt = startedAt
            self.finishedAt = finishedAt
            self.total = total
            self.rewritten = rewritten
            self.remaining = remaining
            self.unreadable = unreadable
        }
    }
}
