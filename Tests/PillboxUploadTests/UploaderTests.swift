import Foundation
import PillboxCentralSimulator
import PillboxFHIR
import PillboxModel
@testable import PillboxStore
import PillboxTestSupport
import Testing
@testable import PillboxUpload

@Suite("The uploader against the central record simulator", .serialized)
struct UploaderTests {
    @Test("A backlog drains in batches, each version once, every record marked sent")
    func drainsBacklog() async throws {
        try await UploadHarness.run(batchSize: 100) { harness in
            try await harness.record(250)
            try await harness.withUploader {
                let reached1 = try await harness.eventually { try await harness.pending() == 0 }
                #expect(reached1)
            }
            let stats = try await harness.central.stats()
            #expect(stats.resources == 250)
            #expect(stats.entriesReceived == 250)
            #expect(stats.entriesCreated == 250)
            #expect(stats.batches == 3)
            let sent = try await harness.store.outboxEntries(state: .sent, limit: 1000)
            #expect(sent.count == 250)
            #expect(harness.health.snapshot.reachable == true)
        }
    }

    @Test("Corrections and cancellations reach the same resource, in order, ending at the latest version")
    func versionsInOrder() async throws {
        try await UploadHarness.run { harness in
            let id = try #require(try await harness.record(1).first)
            let now = Date()
            var corrected = try #require(try await harness.store.dispense(id: id)).dispense
            corrected.daysSupply = 45
            _ = try await harness.store.correctDispense(id: id, correction: .init(dispense: corrected, reason: "days"), now: now,
                audit: RequestAudit(uid: 0, pid: 0, role: "admin", action: "test"))
            _ = try await harness.store.cancelDispense(id: id, cancellation: .init(reason: "returned", status: .cancelled), now: now,
                audit: RequestAudit(uid: 0, pid: 0, role: "admin", action: "test"))
            try await harness.withUploader {
                let reached2 = try await harness.eventually { try await harness.pending() == 0 }
                #expect(reached2)
            }
            let stats = try await harness.central.stats()
            #expect(stats.batches == 3, "one version of a dispense per batch")
            #expect(stats.entriesCreated == 1)
            #expect(stats.entriesUpdated == 2)
            let resources = try await harness.centralResources()
            let resourceID = FHIRMapping.resourceID(pharmacy: UploadHarness.pharmacy, pharmacyDispenseId: "RX-0")
            let resource = try #require(resources[resourceID])
            #expect(resources.count == 1)
            #expect(resource["status"] as? String == "cancelled")
            #expect(UploadHarness.recordVersion(resource) == 3)
        }
    }

    @Test("While the central record refuses connections nothing is lost; when it returns, everything arrives once")
    func survivesDownCentral() async throws {
        try await UploadHarness.run(mode: .down) { harness in
            try await harness.record(30)
            try await harness.withUploader {
                let reached3 = try await harness.eventually { harness.health.snapshot.consecutiveFailures >= 3 }
                #expect(reached3)
                #expect(try await harness.pending() == 30)
                #expect(harness.health.snapshot.reachable == false)
                harness.central.setMode(.up)
                harness.wakeup.signal()
                let reached4 = try await harness.eventually { try await harness.pending() == 0 }
                #expect(reached4)
            }
            let stats = try await harness.central.stats()
            #expect(stats.refusedConnections >= 3)
            #expect(stats.resources == 30)
            #expect(stats.entriesCreated == 30)
        }
    }

    @Test("Retry-After from a 503 is honoured: no request comes back before it")
    func honoursRetryAfter() async throws {
        try await UploadHarness.run(mode: .unavailable(retryAfterSeconds: 1)) { harness in
            try await harness.record(5)
            try await harness.withUploader {
                let reached5 = try await harness.eventually { try await harness.central.stats().faultResponses >= 1 }
                #expect(reached5)
                try await Task.sleep(for: .milliseconds(800))
                #expect(try await harness.central.stats().faultResponses == 1, "retried before Retry-After")
                harness.central.setMode(.up)
                let reached6 = try await harness.eventually { try await harness.pending() == 0 }
                #expect(reached6)
            }
            #expect(try await harness.central.stats().resources == 5)
        }
    }

    @Test("An entry the central record refuses is dead-lettered with its OperationOutcome; the others go through; a retry requeues it")
    func deadLettersRefusedEntry() async throws {
        try await UploadHarness.run(mode: .reject(identifierPrefix: "BAD-")) { harness in
            try await harness.record(1, prefix: "BAD")
            try await harness.record(4, prefix: "OK")
            try await harness.withUploader {
                let reached7 = try await harness.eventually { try await harness.pending() == 0 }
                #expect(reached7)
            }
            let failed = try await harness.store.outboxEntries(state: .failed, limit: 10)
            #expect(failed.count == 1)
            #expect(failed.first?.lastError?.hasPrefix("HTTP 422") == true)
            #expect(failed.first?.outcome != nil)
            #expect(try await harness.store.outboxEntries(state: .sent, limit: 10).count == 4)
            #expect(try await harness.central.stats().resources == 4)

            harness.central.setMode(.up)
            #expect(try await harness.store.requeue(seq: try #require(failed.first?.seq), now: Date()) == .requeued)
            try await harness.withUploader {
                let reached8 = try await harness.eventually { try await harness.pending() == 0 }
                #expect(reached8)
            }
            #expect(try await harness.store.outboxEntries(state: .failed, limit: 10).isEmpty)
            #expect(try await harness.central.stats().resources == 5)
        }
    }

    @Test("A batch stored but unanswered (drop-after-commit) is resent without creating duplicates")
    func ambiguousResendIsSafe() async throws {
        try await UploadHarness.run(batchSize: 10, mode: .dropAfterCommit) { harness in
            try await harness.record(20)
            try await harness.withUploader {
                let reached9 = try await harness.eventually { try await harness.central.stats().droppedResponses >= 2 }
                #expect(reached9)
                // The first batch of 10 was stored on every attempt, never twice.
                #expect(try await harness.central.stats().resources == 10)
                #expect(try await harness.pending() == 20, "nothing is marked sent without an answer")
                harness.central.setMode(.up)
                let reached10 = try await harness.eventually { try await harness.pending() == 0 }
                #expect(reached10)
            }
            let stats = try await harness.central.stats()
            #expect(stats.resources == 20)
            #expect(stats.entriesCreated == 20)
        }
    }

    @Test("A flaky central record still ends with exactly one resource per record")
    func flakyCentral() async throws {
        try await UploadHarness.run(batchSize: 10, mode: .flaky(failureRate: 0.5, seed: 7)) { harness in
            try await harness.record(60)
            try await harness.withUploader {
                let reached11 = try await harness.eventually(30) { try await harness.pending() == 0 }
                #expect(reached11)
            }
            let stats = try await harness.central.stats()
            #expect(stats.faultResponses > 0)
            #expect(stats.resources == 60)
            #expect(stats.entriesCreated == 60)
        }
    }
}

@Suite("More transient failures: 429 and timeouts", .serialized)
struct TransientFailureTests {
    @Test("429 Too Many Requests is retried after its Retry-After, then everything arrives")
    func tooManyRequests() async throws {
        try await UploadHarness.run(mode: .tooManyRequests(retryAfterSeconds: 1)) { harness in
            try await harness.record(8)
            try await harness.withUploader {
                let refused = try await harness.eventually { try await harness.central.stats().faultResponses >= 1 }
                #expect(refused)
                #expect(try await harness.pending() == 8)
                // The simulator counts the 429 before the uploader has read it: wait for the uploader's side.
                let reported = try await harness.eventually { harness.health.snapshot.lastError == "HTTP 429" }
                #expect(reported)
                harness.central.setMode(.up)
                let drained = try await harness.eventually { try await harness.pending() == 0 }
                #expect(drained)
            }
            #expect(try await harness.central.stats().resources == 8)
        }
    }

    @Test("A central record slower than the request timeout counts as unreachable; nothing is marked sent until it answers")
    func timeouts() async throws {
        try await UploadHarness.run(mode: .slow(delaySeconds: 2), requestTimeout: 0.5) { harness in
            try await harness.record(4)
            try await harness.withUploader {
                let failed = try await harness.eventually { harness.health.snapshot.consecutiveFailures >= 1 }
                #expect(failed)
                #expect(harness.health.snapshot.lastError == "request timed out")
                #expect(try await harness.store.outboxEntries(state: .sent, limit: 10).isEmpty)
                harness.central.setMode(.up)
                let drained = try await harness.eventually { try await harness.pending() == 0 }
                #expect(drained)
            }
            #expect(try await harness.central.stats().resources == 4)
        }
    }
}

@Suite("Dead letters that must not block or roll back", .serialized)
struct DeadLetterEdgeTests {
    @Test("A stored version that fails its integrity check is dead-lettered; the rest of the queue goes through")
    func unreadableVersionDoesNotBlock() async throws {
        try await UploadHarness.run { harness in
            let ids = try await harness.record(3)
            try await harness.store.pool.write { db in
                try db.execute(sql: "UPDATE dispense_version SET payload = zeroblob(64) WHERE dispense_id = ?", arguments: [ids[1]])
            }
            try await harness.withUploader {
                let drained = try await harness.eventually { try await harness.pending() == 0 }
                #expect(drained)
            }
            let failed = try await harness.store.outboxEntries(state: .failed, limit: 10)
            #expect(failed.map(\.dispenseId) == [ids[1]])
            #expect(failed.first?.lastError == "stored version unreadable (integrity check failed)")
            #expect(try await harness.central.stats().resources == 2)
        }
    }

    @Test("A dead letter superseded by a newer version is not resent (that would roll the central record back)")
    func supersededRequeueRefused() async throws {
        try await UploadHarness.run { harness in
            let id = try #require(try await harness.record(1).first)
            let seq = try #require(try await harness.store.outboxEntries(state: .pending, limit: 10).first?.seq)
            try await harness.store.recordUploadResults([(seq, .deadLetter(summary: "HTTP 422", outcome: nil))], now: Date())
            var corrected = try #require(try await harness.store.dispense(id: id)).dispense
            corrected.daysSupply = 10
            _ = try await harness.store.correctDispense(id: id, correction: .init(dispense: corrected, reason: "fix"), now: Date(),
                audit: RequestAudit(uid: 0, pid: 0, role: "admin", action: "test"))
            #expect(try await harness.store.requeue(seq: seq, now: Date()) == .superseded)
            #expect(try await harness.store.requeue(seq: 9999, now: Date()) == .notDeadLettered)
        }
    }
}
