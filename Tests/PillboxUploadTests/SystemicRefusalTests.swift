import Foundation
import PillboxCentralSimulator
import PillboxStore
import PillboxTestSupport
import Synchronization
import Testing
@testable import PillboxUpload

/// The targets of issue 6, section 2, measured against the in-process simulator.
@Suite("A central record that refuses everything, and a store that cannot save", .serialized)
struct SystemicRefusalTests {
    /// Test-speed back-offs, with a configuration back-off of at most 2 s (default 30 s).
    static let tune: @Sendable (inout UploadSettings) -> Void = { settings in
        settings.configurationRetrySeconds = 2
    }

    @Test("Every entry (or every bundle) refused for 30 s with 300 versions pending: ≤ 20 dead letters, ≤ 2 requests/s after 10 s, then every version arrives exactly once within 60 s",
          arguments: [FaultMode.rejectAll(), FaultMode.rejectBundles()])
    func refusesEverything(mode: FaultMode) async throws {
        try await UploadHarness.run(mode: mode, tune: Self.tune) { harness in
            try await harness.record(300)
            try await harness.withUploader {
                try await Task.sleep(for: .seconds(10))
                let at10 = try await harness.central.stats().requests
                #expect(harness.health.snapshot.condition == "systemic-refusal")
                #expect(harness.health.snapshot.heldEntries > 0)
                try await Task.sleep(for: .seconds(20))
                let at30 = try await harness.central.stats().requests
                let rate = Double(at30 - at10) / 20
                print("systemic refusal (\(mode.mode.rawValue)): \(at10) requests in the first 10 s, "
                    + "\(at30 - at10) in the next 20 s (\(rate)/s), held \(harness.health.snapshot.heldEntries)")
                #expect(rate <= 2, "requests per second after the first 10 s")
                #expect(try await harness.store.outboxEntries(state: .failed, limit: 1000).count <= 20)
                #expect(try await harness.pending() + harness.store.outboxEntries(state: .failed, limit: 1000).count == 300)

                harness.central.setMode(.up)
                let back = ContinuousClock.now
                let drained = try await harness.eventually(60) { try await harness.pending() == 0 }
                #expect(drained, "everything arrives within 60 s")
                print("systemic refusal (\(mode.mode.rawValue)): drained \(ContinuousClock.now - back) after the central record came back")
                #expect(harness.health.snapshot.condition == nil)
                #expect(harness.health.snapshot.heldEntries == 0)
            }
            let failed = try await harness.store.outboxEntries(state: .failed, limit: 1000)
            #expect(failed.isEmpty, "nothing was refused while others passed")
            let stats = try await harness.central.stats()
            #expect(stats.resources == 300)
            #expect(stats.entriesCreated == 300, "every version arrived exactly once")
            #expect(stats.entriesUpdated == 0)
        }
    }

    @Test("Refused entries among accepted ones are dead letters; a refusal streak below the threshold is not")
    func rejectWhileOthersPass() async throws {
        try await UploadHarness.run(batchSize: 10, mode: .reject(identifierPrefix: "BAD-"), tune: Self.tune) { harness in
            try await harness.record(3, prefix: "BAD")
            try await harness.record(20, prefix: "OK")
            try await harness.withUploader {
                let drained = try await harness.eventually(30) { try await harness.pending() == 0 }
                #expect(drained)
            }
            let failed = try await harness.store.outboxEntries(state: .failed, limit: 100)
            #expect(failed.count == 3)
            #expect(try await harness.central.stats().resources == 20)
            #expect(harness.health.snapshot.condition == nil)
        }
    }

    @Test("Credentials refused (metadata still served anonymously): nothing dead-lettered, status says credentials; accepted again: everything arrives")
    func credentialsRefused() async throws {
        try await UploadHarness.run(mode: .forbidden, tune: Self.tune) { harness in
            try await harness.record(5)
            #expect(await harness.client.credentialsAccepted() == false, "the check needs more than GET metadata")
            #expect(try await harness.client.transport.send(CentralRequest(method: "GET", path: "metadata")).status == 200)
            try await harness.withUploader {
                let refused = try await harness.eventually { harness.health.snapshot.condition == "credentials" }
                #expect(refused)
                #expect(try await harness.pending() == 5)
                harness.central.setMode(.up)
                harness.wakeup.signal()
                let drained = try await harness.eventually { try await harness.pending() == 0 }
                #expect(drained)
            }
            #expect(await harness.client.credentialsAccepted())
            #expect(try await harness.store.outboxEntries(state: .failed, limit: 10).isEmpty)
            #expect(harness.health.snapshot.condition == nil)
        }
    }

    @Test("Results that cannot be saved (injected through the save seam) back off: ≤ 40 requests in 20 s, then all arrive once")
    func saveFailureBacksOff() async throws {
        // The drills' back-off settings (0.1 s, at most 1 s).
        try await UploadHarness.run(tune: { $0.backoffInitialSeconds = 0.1; $0.backoffMaxSeconds = 1 }) { harness in
            try await harness.record(50)
            let diskFull = Mutex(true)
            let store = harness.store
            let save: @Sendable ([(seq: Int64, disposition: UploadDisposition)], Date) async throws -> Void = { results, date in
                if diskFull.withLock({ $0 }) { throw StoreError(.io, "injected: disk full") }
                try await store.recordUploadResults(results, now: date)
            }
            try await harness.withUploader(saveResults: save) {
                try await Task.sleep(for: .seconds(20))
                let requests = try await harness.central.stats().requests
                print("save failures: \(requests) requests in 20 s")
                #expect(requests <= 40)
                #expect(requests >= 2, "it does retry")
                #expect(try await harness.pending() == 50)
                #expect(harness.health.snapshot.lastError == "cannot record upload results locally")
                diskFull.withLock { $0 = false }
                let drained = try await harness.eventually(10) { try await harness.pending() == 0 }
                #expect(drained)
            }
            let stats = try await harness.central.stats()
            #expect(stats.resources == 50)
            #expect(stats.entriesCreated == 50, "resends update, never duplicate")
        }
    }
}
