import Foundation
import Logging
import PillboxCentralSimulator
import PillboxTestSupport
import Testing
@testable import PillboxUpload

@Suite("Background refresh of recent patients' central profiles", .serialized)
struct ProfilePrefetchTests {
    @Test("A pass caches every recent patient's profile once, and skips fresh ones next time")
    func refreshesRecentPatients() async throws {
        try await UploadHarness.run { harness in
            try await harness.record(2, prefix: "A", nam: "AAAA11111111")
            try await harness.record(1, prefix: "B", nam: "BBBB22222222")
            let fetcher = CentralProfileFetcher(store: harness.store, client: harness.client, health: harness.health,
                                           budgetMilliseconds: 300, logger: Logger(label: "test"))
            // whenHandedOver of the samples is 2026-11-20: "recent" is relative to now.
            let service = ProfilePrefetchService(store: harness.store, fetcher: fetcher, health: harness.health,
                                                 settings: .init(recentDays: 36_500, refreshAgeMinutes: 60, requestsPerMinute: 6000),
                                                 logger: Logger(label: "test"))
            await service.pass()
            #expect(try await harness.central.stats().searches == 2)
            #expect(try await harness.store.cachedCentralProfile(nam: "AAAA11111111") != nil)
            #expect(try await harness.store.cachedCentralProfile(nam: "BBBB22222222") != nil)
            await service.pass()
            #expect(try await harness.central.stats().searches == 2, "fresh profiles are not fetched again")
        }
    }

    @Test("No fetch while the central record is failing")
    func pausesWhileFailing() async throws {
        try await UploadHarness.run { harness in
            try await harness.record(1, prefix: "C", nam: "CCCC33333333")
            harness.health.failed(at: Date(), error: "HTTP 503", reachable: true)
            let fetcher = CentralProfileFetcher(store: harness.store, client: harness.client, health: harness.health,
                                           budgetMilliseconds: 300, logger: Logger(label: "test"))
            let service = ProfilePrefetchService(store: harness.store, fetcher: fetcher, health: harness.health,
                                                 settings: .init(recentDays: 36_500, refreshAgeMinutes: 60, requestsPerMinute: 6000),
                                                 logger: Logger(label: "test"))
            await service.pass()
            #expect(try await harness.central.stats().searches == 0)
            #expect(try await harness.store.cachedCentralProfile(nam: "CCCC33333333") == nil)
        }
    }
}
