import Foundation
import Logging
import PillboxCentralSimulator
import PillboxFHIR
import PillboxModel
import PillboxTestSupport
import Synchronization
import Testing
@testable import PillboxUpload

/// Counts the requests a fetcher sends, then passes them on.
final class CountingTransport: CentralTransport {
    let inner: any CentralTransport
    private let count = Mutex(0)

    init(_ inner: any CentralTransport) { self.inner = inner }

    var sent: Int { count.withLock { $0 } }

    func send(_ request: CentralRequest) async throws -> CentralResponse {
        count.withLock { $0 += 1 }
        return try await inner.send(request)
    }

    func shutdown() async { await inner.shutdown() }
}

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    private let date: Mutex<Date>
    init(_ start: Date) { date = Mutex(start) }
    var now: Date { date.withLock { $0 } }
    func advance(_ seconds: Double) { date.withLock { $0 += seconds } }
}

/// docs/performance.md, "Side finding": a central record that never answers within the
/// profile budget made every profile wait the whole budget, because a fetch cut by the budget
/// was not counted as a failure. No timing is asserted: only how many fetches were sent, how
/// many reached the central side, and what each profile said.
@Suite("Profiles against a central record that answers nothing within the budget", .serialized)
struct CentralProfileBudgetTests {
    static let nam = "ABCD12345678"

    /// Caches `nam`'s central profile (one other pharmacy's fill) through the simulator, as a
    /// working central record would have left it; returns when it was fetched.
    static func seedCache(_ harness: UploadHarness) async throws -> Date {
        let other = CentralClient(transport: harness.transport, pharmacy: PharmacyIdentity(system: "https://other.example/ids", pharmacyID: "9"))
        let record = DispenseRecord(
            id: "x", version: 1, status: .completed, recordedAt: "2026-11-01T10:00:00.000Z", reason: nil, sync: .init(state: .pending),
            dispense: Dispense(pharmacyDispenseId: "THEIRS-1", patient: .init(nam: nam),
                               medication: .init(din: "00000019", display: "Amoxicillin"), whenHandedOver: "2026-11-01T10:00:00Z"))
        guard case .answered(let outcomes) = await other.upload([record]), outcomes.map(\.status) == [201] else {
            throw DaemonTestError(message: "the other pharmacy's fill did not reach the simulator")
        }
        // Fetched at a whole second, so that the cached time reads back exactly.
        let seeding = CentralProfileFetcher(store: harness.store, client: harness.client, health: CentralHealth(configured: true),
                                            budgetMilliseconds: 10_000, logger: Logger(label: "test"),
                                            now: { Date(timeIntervalSince1970: 1_799_000_000) })
        return try await seeding.refresh(nam: nam).fetchedAt
    }

    /// Seven profiles against `url` with a 300 ms budget, the clock moved by hand: five within
    /// 30 s of the first, then two after the struggling window. Returns the profiles and how
    /// many fetches were sent after each.
    static func sevenProfiles(url: String, harness: UploadHarness, clock: ManualClock)
        async throws -> (profiles: [CentralProfile], sent: [Int], health: CentralHealth) {
        var settings = harness.settings
        settings.centralURL = url
        let transport = CountingTransport(try HTTPCentralTransport(settings: settings))
        let health = CentralHealth(configured: true)
        let fetcher = CentralProfileFetcher(store: harness.store, client: CentralClient(transport: transport, pharmacy: UploadHarness.pharmacy),
                                            health: health, budgetMilliseconds: 300, logger: Logger(label: "test"),
                                            now: { clock.now })
        var profiles: [CentralProfile] = []
        var sent: [Int] = []
        for step in [0.0, 1, 1, 1, 1, 27, 1] {  // at +0, +1, +2, +3, +4, +31, +32 s
            clock.advance(step)
            profiles.append(await fetcher.profile(nam: nam, localDispenseIDs: []))
            sent.append(transport.sent)
        }
        await transport.shutdown()
        return (profiles, sent, health)
    }

    static func expectFromCache(_ profiles: [CentralProfile], fetchedAt: Date) {
        for (n, profile) in profiles.enumerated() {
            #expect(!profile.reachable, "profile \(n) says the central record answered")
            #expect(profile.asOf == fetchedAt, "profile \(n): asOf \(String(describing: profile.asOf)), cached at \(fetchedAt)")
            #expect(profile.dispenses.map(\.identifierValue) == ["THEIRS-1"], "profile \(n)")
        }
    }

    @Test("A central record that accepts and never answers: one fetch reaches it, the next four profiles answer from the cache without sending, one probe after 30 s")
    func blackHole() async throws {
        try await UploadHarness.run { harness in
            let fetchedAt = try await Self.seedCache(harness)
            let listener = try BlackHoleListener()
            defer { listener.stop() }
            let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
            let (profiles, sent, health) = try await Self.sevenProfiles(url: "http://127.0.0.1:\(listener.port)/fhir",
                                                                       harness: harness, clock: clock)
            #expect(sent == [1, 1, 1, 1, 1, 2, 2])
            Self.expectFromCache(profiles, fetchedAt: fetchedAt)
            // Exactly the two probes reached the central side, each a search whose URL does not hold the NAM.
            let reached = await listener.eventually { $0.requestLines.count >= 2 }
            #expect(reached)
            #expect(listener.requestLines == Array(repeating: "POST /fhir/MedicationDispense/_search HTTP/1.1", count: 2))
            let status = health.snapshot
            #expect(status.reachable == false)
            #expect(status.consecutiveFailures == 2)
            #expect(status.lastError == "profile fetch: no answer within the profile budget (0.3 seconds)")
            #expect(status.lastFailureAt == clock.now.addingTimeInterval(-1))
        }
    }

    @Test("A closed port: the first profile sends one fetch, the next four answer from the cache without sending, one probe after 30 s")
    func closedPort() async throws {
        try await UploadHarness.run { harness in
            let fetchedAt = try await Self.seedCache(harness)
            let port = try BlackHoleListener.closedPort()
            let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
            let (profiles, sent, health) = try await Self.sevenProfiles(url: "http://127.0.0.1:\(port)/fhir",
                                                                       harness: harness, clock: clock)
            #expect(sent == [1, 1, 1, 1, 1, 2, 2])
            Self.expectFromCache(profiles, fetchedAt: fetchedAt)
            #expect(health.snapshot.reachable == false)
            #expect(health.snapshot.consecutiveFailures == 2)
        }
    }

    @Test("A central record slow but within the budget is still used live, on every profile")
    func slowWithinBudgetIsLive() async throws {
        try await UploadHarness.run { harness in
            _ = try await Self.seedCache(harness)
            harness.central.setMode(.slow(delaySeconds: 0.2))
            let transport = CountingTransport(harness.transport)
            let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
            // A generous budget so that a loaded machine cannot push the slow answer past it.
            let fetcher = CentralProfileFetcher(store: harness.store, client: CentralClient(transport: transport, pharmacy: UploadHarness.pharmacy),
                                                health: harness.health, budgetMilliseconds: 20_000, logger: Logger(label: "test"),
                                                now: { clock.now })
            for n in 0..<3 {
                clock.advance(1)
                let profile = await fetcher.profile(nam: Self.nam, localDispenseIDs: [])
                #expect(profile.reachable, "profile \(n)")
                #expect(profile.asOf == clock.now, "profile \(n)")
                #expect(profile.dispenses.map(\.identifierValue) == ["THEIRS-1"])
                #expect(transport.sent == n + 1)
            }
            #expect(harness.health.snapshot.consecutiveFailures == 0)
        }
    }

    @Test("The race: a fetch that ends first gives its value, a budget that runs out first says so")
    func race() async {
        let quick = await CentralProfileFetcher.race(budget: .seconds(60)) { 7 }
        guard case .finished(let value) = quick else { Issue.record("a quick fetch ran out of a 60 s budget"); return }
        #expect(value == 7)
        let failing = await CentralProfileFetcher.race(budget: .seconds(60)) { () async throws -> Int in throw TransportError("refused") }
        guard case .finished(nil) = failing else { Issue.record("a failed fetch did not finish with nil"); return }
        let stuck = await CentralProfileFetcher.race(budget: .milliseconds(10)) { () async throws -> Int in
            try await Task.sleep(for: .seconds(3600))
            return 1
        }
        guard case .ranOut = stuck else { Issue.record("a stuck fetch did not run out of its budget"); return }
    }
}
