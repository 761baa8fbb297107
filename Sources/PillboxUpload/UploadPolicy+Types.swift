import Foundation

extension UploadPolicy {
    /// What the uploader should do next.
    package enum Action: Sendable, Equatable {
        /// Send the next batch now, of at most this many entries.
        case send(batchSize: Int)
        /// Wait this many seconds (a sync request may cut it short).
        case wait(seconds: Double)
    }

    /// What one attempt came to, as the uploader saw it (no interpretation yet).
    package enum Outcome: Sendable, Equatable {
        /// Nothing due; `nextDueIn` seconds until a deferred entry is due, if any.
        case empty(nextDueIn: Double?)
        /// The outbox could not be read.
        case outboxUnavailable
        /// No answer: refused, reset, timed out, cut after sending.
        case noAnswer
        /// A 2xx that is not a readable batch-response.
        case unreadableAnswer
        /// The whole request was answered with this non-2xx status.
        case refused(status: Int, retryAfter: Double?)
        /// A batch-response: one HTTP status per entry, in the batch's order.
        case answered(entryStatuses: [Int])
    }

    /// One entry of the batch that was sent: its outbox position and past attempts.
    package struct Entry: Sendable, Equatable {
        package var seq: Int64
        package var attempts: Int
        package init(seq: Int64, attempts: Int) {
            self.seq = seq
            self.attempts = attempts
        }
    }

    /// What to do with one entry of the batch.
    package enum Disposition: Sendable, Equatable {
        /// Accepted: mark it sent.
        case sent
        /// A transient refusal of this entry: due again after this many seconds (counts an attempt).
        case retry(afterSeconds: Double)
        /// Refused while nothing else was accepted: maybe the central record refuses
        /// everything. Held back (still pending, due after this many seconds; counts an
        /// attempt), and dead-lettered only once the central record is seen accepting others.
        case hold(afterSeconds: Double)
        /// Refused while others pass: a dead letter.
        case deadLetter
        /// Not answered for this entry (or not its fault): leave the row as it is.
        case untouched
    }

    /// Why the central record is not taking uploads although it answers: a configuration
    /// problem on one side or the other, not a bad entry. Reported in `/v1/status`.
    package enum Condition: String, Sendable, Equatable {
        /// Every entry refused: `systemicRefusalThreshold` distinct entries in a row, nothing accepted.
        case systemicRefusal = "systemic-refusal"
        /// 401/403 for the request, or for entries while the credential check fails.
        case credentials
        /// 3xx, 404, 405 and other statuses that say the request went to the wrong place.
        case configuration
    }

    /// The policy's answer to one attempt.
    package struct Decision: Sendable, Equatable {
        /// One per entry of the batch, in order (empty when nothing was sent).
        package var entries: [Disposition]
        /// Held entries (not in this batch) to make due at once: an acceptance just showed
        /// that the central record works, so they are judged again.
        package var released: [Int64]
        /// What to do next.
        package var action: Action
        /// The configuration problem in force after this attempt, if any.
        package var condition: Condition?

        package init(entries: [Disposition] = [], released: [Int64] = [], action: Action, condition: Condition? = nil) {
            self.entries = entries
            self.released = released
            self.action = action
            self.condition = condition
        }
    }

    /// How an HTTP status is read; the one table of statuses (`classify`).
    package enum StatusClass: Sendable, Equatable {
        case accepted
        /// 408, 429, 5xx: try again later.
        case transient
        /// 401, 403: our credentials, unless a credential check shows they are fine.
        case credentials
        /// The request went to the wrong place (3xx, 404, 405, and other 4xx for a whole request).
        case configuration
        /// The content was refused (400, 413, 422 for a whole bundle; other 4xx for an entry).
        case content
    }

    /// Whether a status answers a whole request or one entry of a batch-response.
    package enum Scope: Sendable, Equatable {
        case request
        case entry
    }
}
