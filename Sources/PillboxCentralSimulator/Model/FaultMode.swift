/// How the FHIR listener misbehaves, set at start or through the admin listener. Its JSON
/// form is the admin endpoint's body: `{"mode":"503","retryAfterSeconds":2}`.
package struct FaultMode: Sendable, Codable, Equatable {
    /// The kinds of behaviour.
    package enum Kind: String, Sendable, Codable, Equatable, CaseIterable {
        /// Serve normally.
        case up
        /// Refuse: new connections are closed at once without reading, and a request on a
        /// connection opened earlier closes it without an answer.
        case down
        /// Answer every request 503 with `Retry-After`, storing nothing.
        case unavailable = "503"
        /// Answer every request 429 with `Retry-After`, storing nothing.
        case tooManyRequests = "429"
        /// Wait `delaySeconds`, then serve normally.
        case slow
        /// Answer 503 (storing nothing) with probability `failureRate`, else serve normally.
        case flaky
        /// Store PUTs and batches, then close the connection without answering.
        case dropAfterCommit = "drop-after-commit"
        /// Answer 422 for entries whose `identifier[0].value` starts with `rejectIdentifierPrefix`.
        case reject
        /// Systemic refusal, entry by entry: every batch or PUT entry refused with
        /// `rejectStatus` (default 422), nothing stored (a validator regression).
        case rejectAll = "reject-all"
        /// Systemic refusal of whole bundles: every batch `POST` answered `rejectStatus`
        /// (default 400) with an OperationOutcome, nothing stored (a misconfigured gateway).
        case rejectBundles = "reject-bundles"
        /// Every request but `GET metadata` answered 403 (credentials no longer accepted;
        /// metadata is served anonymously, as real servers do).
        case forbidden
    }

    /// The behaviour.
    package var mode: Kind
    /// `Retry-After` of `503` and `429`, in seconds (default 5).
    package var retryAfterSeconds: Int?
    /// Delay of `slow`, in seconds (default 1).
    package var delaySeconds: Double?
    /// Share of requests `flaky` fails, 0...1 (default 0.5).
    package var failureRate: Double?
    /// Seed of `flaky`'s random choices, for repeatable runs; random when nil.
    package var seed: UInt64?
    /// Identifier prefix that `reject` refuses.
    package var rejectIdentifierPrefix: String?
    /// The status of `reject-all` (default 422) and `reject-bundles` (default 400): a 4xx.
    package var rejectStatus: Int?

    /// A mode with its parameters; those a mode does not use are ignored.
    package init(mode: Kind, retryAfterSeconds: Int? = nil, delaySeconds: Double? = nil, failureRate: Double? = nil,
                seed: UInt64? = nil, rejectIdentifierPrefix: String? = nil, rejectStatus: Int? = nil) {
        self.rejectStatus = rejectStatus
        self.mode = mode
        self.retryAfterSeconds = retryAfterSeconds
        self.delaySeconds = delaySeconds
        self.failureRate = failureRate
        self.seed = seed
        self.rejectIdentifierPrefix = rejectIdentifierPrefix
    }

    /// Normal service.
    package static let up = FaultMode(mode: .up)
    /// Connections refused.
    package static let down = FaultMode(mode: .down)
    /// 503 with `Retry-After: retryAfterSeconds`.
    package static func unavailable(retryAfterSeconds: Int = 5) -> FaultMode {
        FaultMode(mode: .unavailable, retryAfterSeconds: retryAfterSeconds)
    }
    /// 429 with `Retry-After: retryAfterSeconds`.
    package static func tooManyRequests(retryAfterSeconds: Int = 5) -> FaultMode {
        FaultMode(mode: .tooManyRequests, retryAfterSeconds: retryAfterSeconds)
    }
    /// Every request delayed by `delaySeconds`.
    package static func slow(delaySeconds: Double) -> FaultMode { FaultMode(mode: .slow, delaySeconds: delaySeconds) }
    /// 503 with probability `failureRate`.
    package static func flaky(failureRate: Double, seed: UInt64? = nil) -> FaultMode {
        FaultMode(mode: .flaky, failureRate: failureRate, seed: seed)
    }
    /// Stored, then no answer.
    package static let dropAfterCommit = FaultMode(mode: .dropAfterCommit)
    /// 422 for entries whose identifier value starts with `prefix`.
    package static func reject(identifierPrefix prefix: String) -> FaultMode {
        FaultMode(mode: .reject, rejectIdentifierPrefix: prefix)
    }

    /// Every entry refused with `status`.
    package static func rejectAll(status: Int = 422) -> FaultMode { FaultMode(mode: .rejectAll, rejectStatus: status) }
    /// Every batch refused as a whole with `status`.
    package static func rejectBundles(status: Int = 400) -> FaultMode { FaultMode(mode: .rejectBundles, rejectStatus: status) }
    /// 403 for everything but `GET metadata`.
    package static let forbidden = FaultMode(mode: .forbidden)

    /// Status in effect for `reject-all` and `reject-bundles`.
    package var effectiveRejectStatus: Int { rejectStatus ?? (mode == .rejectBundles ? 400 : 422) }

    /// `Retry-After` in effect.
    package var effectiveRetryAfterSeconds: Int { retryAfterSeconds ?? 5 }
    /// Delay in effect for `slow`.
    package var effectiveDelaySeconds: Double { delaySeconds ?? 1 }
    /// Failure rate in effect for `flaky`.
    package var effectiveFailureRate: Double { failureRate ?? 0.5 }

    /// Why the parameters cannot work for this mode, or nil when they can.
    package var problem: String? {
        switch mode {
        case .unavailable, .tooManyRequests:
            if let seconds = retryAfterSeconds, seconds < 0 { return "retryAfterSeconds must be 0 or more" }
        case .slow:
            if let seconds = delaySeconds, !(seconds >= 0 && seconds <= 3600) {
                return "delaySeconds must be in 0...3600"
            }
        case .flaky:
            if let rate = failureRate, !(rate >= 0 && rate <= 1) { return "failureRate must be in 0...1" }
        case .reject:
            if (rejectIdentifierPrefix ?? "").isEmpty { return "reject needs a non-empty rejectIdentifierPrefix" }
        case .rejectAll, .rejectBundles:
            if let status = rejectStatus, !(400...499).contains(status) { return "rejectStatus must be a 4xx status" }
        case .up, .down, .dropAfterCommit, .forbidden:
            break
        }
        return nil
    }

    /// The valid `mode` values, for messages.
    package static var validModes: [String] { Kind.allCases.map(\.rawValue) }
}
