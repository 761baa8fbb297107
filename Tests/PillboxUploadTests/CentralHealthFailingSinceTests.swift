import Foundation
import PillboxUpload
import Testing

@Suite("CentralHealth: since when the central record has been failing")
struct CentralHealthFailingSinceTests {
    @Test("failingSince is the first failure after the last success, and clears on success")
    func failingSince() {
        let health = CentralHealth(configured: true)
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(health.snapshot.failingSince == nil)
        health.failed(at: t0, error: "connect", reachable: false)
        health.failed(at: t0.addingTimeInterval(30), error: "connect", reachable: false)
        #expect(health.snapshot.failingSince == t0)
        #expect(health.snapshot.lastFailureAt == t0.addingTimeInterval(30))
        health.succeeded(at: t0.addingTimeInterval(60))
        #expect(health.snapshot.failingSince == nil)
        health.failed(at: t0.addingTimeInterval(90), error: "HTTP 503", reachable: true)
        #expect(health.snapshot.failingSince == t0.addingTimeInterval(90))
    }
}
