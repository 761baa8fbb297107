import Foundation

/// The working keys of a data folder and the last data-key rotation, for `keys status`.
/// Ids, purposes, times and counts only: nothing secret.
package struct KeyringReport: Sendable, Equatable {
    /// One working key.
    package struct Key: Sendable, Equatable {
        package var id: String
        /// `data`, `index` or `audit`.
        package var purpose: String
        package var createdAt: Date
        /// When a rotation retired it (data keys only); nil while it is in use.
        package var retiredAt: Date?
        /// Payloads still sealed under a retired data key; nil for keys in use.
        package var rowsUnderKey: Int?
    }

    /// The last rotation of the data key.
    package struct Rotation: Sendable, Equatable {
        package var fromKeyID: String
        package var toKeyID: String
        package var startedAt: Date
        package var finishedAt: Date?
        /// Payloads under the old key when it started.
        package var total: Int
        /// Payloads re-encrypted so far.
        package var rewritten: Int
        /// Payloads still under a retired key.
        package var remaining: Int
        /// Payloads the rotation could not open (altered): left under their key, which is kept.
        package var unreadable: Int
    }

    /// Id of the master key that opened the store.
    package var masterKeyID: String
    package var keys: [Key]
    package var rotation: Rotation?
}

/// The answer to a request to rotate the data key.
package enum RotationStart: Sendable, Equatable {
    /// A new data key seals new payloads; the old ones are re-encrypted in the background.
    case started(KeyringReport)
    /// A rotation is still running: wait for it to finish first.
    case alreadyRunning(KeyringReport)
}

/// What one batch of a rotation did.
package struct RotationStep: Sendable, Equatable {
    /// Where the next batch starts.
    package var cursor: RotationCursor
    /// Payloads re-encrypted by this batch.
    package var rewritten: Int
    /// Payloads still under a retired key after it.
    package var remaining: Int
    /// The rotation is over (every payload re-encrypted, or only unreadable ones left).
    package var finished: Bool
    /// Payloads left under a retired key because they do not open (when finished).
    package var unreadable: Int
}
