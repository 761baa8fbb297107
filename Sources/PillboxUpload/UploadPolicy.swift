import Foundation

/// Every upload decision, as a value-type state machine: given the batch that was sent and
/// what came back, it returns what to do with each entry and what to do next. No I/O and no
/// clock of its own, so it is tested without a network (UploadPolicyTests). The `Uploader`
/// only reads the outbox, sends, saves the dispositions and reports. See docs/upload.md.
///
/// - Start: wait a random time in `[0, startJitter]` (a fleet reconnecting together spreads out).
/// - Transient failure (no answer, 408, 429, 5xx, an unreadable answer, the outbox unreadable):
///   wait `random(0, min(max, initial * 2^failures))` (exponential back-off, full jitter,
///   capped), and at least what `Retry-After` asked (up to `maxRetryAfter`).
/// - Results that cannot be saved (disk full): the same back-off, with equal jitter.
/// - A bundle refused as a whole (400/413/422): halve the batch and resend, so one bad entry
///   is isolated without blocking the others.
/// - An entry refused while others in its batch pass: dead letter. Refused while nothing is
///   accepted: held back (deferred, not dead); `systemicRefusalThreshold` distinct entries
///   refused in a row with nothing accepted is a systemic refusal, a configuration problem:
///   no dead letters, single-entry probes with the configuration back-off, until an
///   acceptance releases the held entries. A held entry refused again after the central
///   record was seen accepting others is a dead letter.
/// - 401/403 (failed credential check), 3xx, 404, 405: configuration problems; entries untouched.
package struct UploadPolicy: Sendable {
    /// The longest `Retry-After` obeyed (seconds); a longer one is taken as this.
    package static let maxRetryAfter: Double = 3600

    package let settings: UploadSettings
    /// Consecutive transient failures (including results that could not be saved).
    package private(set) var failures = 0
    /// Consecutive attempts whose results could not be saved.
    package private(set) var saveFailures = 0
    /// Consecutive attempts that met a configuration problem.
    package private(set) var configurationFailures = 0
    /// Current batch size (shrinks while isolating a refused entry, and to 1 for probes).
    package private(set) var batchSize: Int
    /// The configuration problem in force, if any.
    package private(set) var condition: Condition?
    /// Distinct entries refused since the last acceptance (kept up to the threshold).
    package private(set) var refusalStreak: Set<Int64> = []
    /// Held entries: `true` once an acceptance was seen after the entry was held.
    package private(set) var held: [Int64: Bool] = [:]
    private var random: @Sendable (Double) -> Double

    /// `random(x)` returns a uniform value in `[0, x]`; injectable for tests.
    package init(settings: UploadSettings, random: @escaping @Sendable (Double) -> Double = { Double.random(in: 0...max(0, $0)) }) {
        self.settings = settings
        self.batchSize = settings.batchSize
        self.random = random
    }

    /// The first action after start-up.
    package func start() -> Action {
        .wait(seconds: random(settings.startJitterSeconds))
    }

    /// The back-off ceiling after `failures` consecutive failures.
    package func backoffCeiling(failures: Int) -> Double {
        let exponent = Double(min(max(failures - 1, 0), 30))
        return min(settings.backoffMaxSeconds, settings.backoffInitialSeconds * pow(2, exponent))
    }

    /// The delay before retrying one entry that failed transiently `attempts` times.
    package func entryRetryDelay(attempts: Int, retryAfter: Double?) -> Double {
        max(random(backoffCeiling(failures: attempts)), min(retryAfter ?? 0, Self.maxRetryAfter))
    }

    /// The wait after the `n`-th consecutive configuration problem: `initial * 2^(n-1)` capped
    /// by `configurationRetrySeconds` (not by `backoffMaxSeconds`: a fixed configuration should
    /// be noticed soon), with equal jitter (never below half of it), so a refusing central
    /// record sees a bounded rate of probes.
    package func configurationWait(attempt n: Int) -> Double {
        let exponent = Double(min(max(n - 1, 0), 30))
        let ceiling = min(settings.configurationRetrySeconds, settings.backoffInitialSeconds * pow(2, exponent))
        return ceiling / 2 + random(ceiling / 2)
    }

    /// A transient failure: back off (exponential, full jitter, at least `Retry-After`).
    package mutating func transientFailure(retryAfter: Double?) -> Action {
        failures += 1
        return .wait(seconds: max(random(backoffCeiling(failures: failures)), min(retryAfter ?? 0, Self.maxRetryAfter)))
    }

    /// The results of an attempt could not be saved (disk full, I/O error): back off like a
    /// transient failure, with equal jitter so the central record is not hit in a loop. The
    /// count grows until results are saved again (`saved()`), whatever the central record answered.
    package mutating func saveFailed() -> Action {
        saveFailures += 1
        let ceiling = backoffCeiling(failures: saveFailures)
        return .wait(seconds: ceiling / 2 + random(ceiling / 2))
    }

    /// The results of an attempt were saved: the save back-off starts over.
    package mutating func saved() {
        saveFailures = 0
    }

    /// True when `outcome` needs a credential check (a request that needs the same
    /// authorization as an upload) before `decide`: an entry answered 401 or 403.
    package static func needsCredentialCheck(_ outcome: Outcome) -> Bool {
        guard case .answered(let statuses) = outcome else { return false }
        return statuses.contains { classify(status: $0, scope: .entry) == .credentials }
    }

    /// Folds in what one attempt came to and returns the dispositions and the next action.
    /// `credentialsAccepted` is the credential check's answer when `needsCredentialCheck` asked for one.
    package mutating func decide(batch: [Entry], outcome: Outcome, credentialsAccepted: Bool? = nil) -> Decision {
        switch outcome {
        case .empty(let nextDueIn):
            if condition != .systemicRefusal { batchSize = settings.batchSize }
            let wait = min(max(nextDueIn ?? settings.idlePollSeconds, Self.minimumIdleWait), settings.idlePollSeconds)
            return Decision(action: .wait(seconds: wait), condition: condition)
        case .outboxUnavailable, .noAnswer, .unreadableAnswer:
            return Decision(entries: untouched(batch), action: transientFailure(retryAfter: nil), condition: condition)
        case .refused(let status, let retryAfter):
            return refusedRequest(batch, status: status, retryAfter: retryAfter)
        case .answered(let statuses):
            return answered(batch, statuses: statuses, credentialsAccepted: credentialsAccepted)
        }
    }

    /// The shortest idle wait: a guard against spinning should the due time be in the past.
    package static let minimumIdleWait: Double = 0.05

    private func untouched(_ batch: [Entry]) -> [Disposition] { Array(repeating: .untouched, count: batch.count) }

    private mutating func refusedRequest(_ batch: [Entry], status: Int, retryAfter: Double?) -> Decision {
        switch Self.classify(status: status, scope: .request) {
        case .transient, .accepted:
            return Decision(entries: untouched(batch), action: transientFailure(retryAfter: retryAfter), condition: condition)
        case .credentials:
            return configurationProblem(.credentials, batch: batch, retryAfter: retryAfter)
        case .configuration:
            return configurationProblem(.configuration, batch: batch, retryAfter: retryAfter)
        case .content:
            failures = 0
            if condition != .systemicRefusal { condition = nil }
            if batch.count > 1 {
                batchSize = max(1, min(batchSize, batch.count) / 2)
                return Decision(entries: untouched(batch), action: .send(batchSize: batchSize), condition: condition)
            }
            // One entry left, refused: the bundle's only entry is the one refused. Stay at
            // size 1 until something is accepted (the next entries go one by one).
            var entries = untouched(batch)
            var decision = Decision(action: .send(batchSize: batchSize))
            refuse(batch, at: Array(batch.indices), acceptedOthers: false, into: &entries)
            decision.entries = entries
            return finish(decision, accepted: false)
        }
    }

    private mutating func answered(_ batch: [Entry], statuses: [Int], credentialsAccepted: Bool?) -> Decision {
        failures = 0
        // The request reached a FHIR endpoint that took it: the URL and credentials work.
        if condition != .systemicRefusal { condition = nil }
        var entries = untouched(batch)
        var refusedIndices: [Int] = []
        var problem: Condition?
        for (index, status) in zip(batch.indices, statuses) {
            switch Self.classify(status: status, scope: .entry) {
            case .accepted:
                entries[index] = .sent
                held[batch[index].seq] = nil
            case .transient:
                entries[index] = .retry(afterSeconds: entryRetryDelay(attempts: batch[index].attempts + 1, retryAfter: nil))
            case .credentials where credentialsAccepted == true, .content:
                refusedIndices.append(index)
            case .credentials:
                problem = .credentials
            case .configuration:
                problem = problem ?? .configuration
            }
        }
        let accepted = entries.contains(.sent)
        refuse(batch, at: refusedIndices, acceptedOthers: accepted, into: &entries)
        var decision = Decision(entries: entries, action: .send(batchSize: batchSize))
        if accepted { decision.released = release() }
        decision = finish(decision, accepted: accepted)
        if let problem {
            let wait = configurationProblem(problem, batch: [], retryAfter: nil)
            decision.action = wait.action
            decision.condition = wait.condition
        }
        return decision
    }

    /// Judges refused entries: dead letters when others pass (in this batch, or since the
    /// entry was held, unless the refusals are systemic), held otherwise.
    private mutating func refuse(_ batch: [Entry], at indices: [Int], acceptedOthers: Bool,
                                 into entries: inout [Disposition]) {
        guard !indices.isEmpty else { return }
        if acceptedOthers {
            for index in indices {
                entries[index] = .deadLetter
                held[batch[index].seq] = nil
            }
            return
        }
        for index in indices where refusalStreak.count < settings.systemicRefusalThreshold {
            refusalStreak.insert(batch[index].seq)
        }
        let systemic = refusalStreak.count >= settings.systemicRefusalThreshold
        if systemic { condition = .systemicRefusal }
        for index in indices {
            let seq = batch[index].seq
            if !systemic && held[seq] == true {
                entries[index] = .deadLetter
                held[seq] = nil
            } else {
                let delay = min(entryRetryDelay(attempts: batch[index].attempts + 1, retryAfter: nil),
                                settings.configurationRetrySeconds)
                entries[index] = .hold(afterSeconds: delay)
                held[seq] = false
            }
        }
    }

    /// Acceptance seen: every held entry not yet released is made due again.
    private mutating func release() -> [Int64] {
        let waiting = held.filter { !$0.value }.keys.sorted()
        for seq in waiting { held[seq] = true }
        return waiting
    }

    /// Common end of an answered attempt: an acceptance clears the streak and a systemic
    /// refusal; a systemic refusal turns the next action into a single-entry probe after the
    /// configuration back-off.
    private mutating func finish(_ decision: Decision, accepted: Bool) -> Decision {
        var decision = decision
        if accepted {
            refusalStreak = []
            configurationFailures = 0
            condition = nil
            batchSize = settings.batchSize
            decision.action = .send(batchSize: batchSize)
        }
        if condition == .systemicRefusal {
            configurationFailures += 1
            batchSize = 1
            decision.action = .wait(seconds: configurationWait(attempt: configurationFailures))
        }
        decision.condition = condition
        return decision
    }

    private mutating func configurationProblem(_ kind: Condition, batch: [Entry], retryAfter: Double?) -> Decision {
        configurationFailures += 1
        condition = kind
        let wait = max(configurationWait(attempt: configurationFailures), min(retryAfter ?? 0, Self.maxRetryAfter))
        return Decision(entries: untouched(batch), action: .wait(seconds: wait), condition: condition)
    }
}
