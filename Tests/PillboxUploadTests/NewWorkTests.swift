import Foundation
import Logging
import PillboxCentralSimulator
import PillboxTestSupport
import Testing
@testable import PillboxUpload

@Suite("New versions wake an idle uploader, never a backing-off one", .serialized)
struct NewWorkTests {
    @Test("A version recorded in the store ends an idle wait at once, long before the idle poll")
    func wakesIdleUploader() async throws {
        try await UploadHarness.run(tune: { $0.idlePollSeconds = 60 }) { harness in
            try await harness.withUploader {
                // The uploader looks once, finds nothing and settles into its 60 s idle wait.
                try await Task.sleep(for: .milliseconds(500))
                let started = ContinuousClock.now
                try await harness.record(1, prefix: "NEW")
                let sent = try await harness.eventually(10) { try await harness.pending() == 0 }
                #expect(sent, "not uploaded \(ContinuousClock.now - started) after it was recorded (idle poll: 60 s)")
            }
        }
    }

    @Test("A version recorded during a back-off waits for it; a sync request cuts it short")
    func backOffHolds() async throws {
        try await UploadHarness.run(mode: .down, tune: { $0.backoffInitialSeconds = 60; $0.backoffMaxSeconds = 60 }) { harness in
            let uploader = Uploader(store: harness.store, client: harness.client, health: harness.health, wakeup: harness.wakeup,
                                    settings: harness.settings, logger: Logger(label: "upload"), random: { $0 })
            let task = Task { await uploader.loop() }
            defer { task.cancel() }
            try await harness.record(1, prefix: "A")
            let failed = try await harness.eventually(10) { harness.health.snapshot.consecutiveFailures == 1 }
            #expect(failed, "the first attempt failed: the uploader now backs off for 60 s")

            harness.central.setMode(.up)
            try await harness.record(1, prefix: "B")
            try await Task.sleep(for: .milliseconds(1500))
            #expect(try await harness.pending() == 2, "the new version did not cut the back-off short")
            #expect(try await harness.central.stats().batches == 0)

            harness.wakeup.signal()
            let sent = try await harness.eventually(10) { try await harness.pending() == 0 }
            #expect(sent, "a sync request ends the back-off")
        }
    }
}
