import PillboxModel
@testable import PillboxStore
import PillboxTestSupport
import Testing

/// `pillbox verify` run online logs where it is, so that a technician following
/// `journalctl -u pillboxd -f` through a check of minutes sees it going on.
@Suite("Verify progress in the daemon's log")
struct VerifyProgressLogTests {
    @Test("One line at the start, one at each tenth of the rows reached (not at the total), one at the end; counts only")
    func tenths() {
        let capture = LogCapture()
        let progress = VerifyProgressLog(logger: capture.logger, scope: "all")
        // StoreVerifier calls it with 0 first, then every 256 rows, then with the total.
        for done in [0, 256, 512, 768, 1_024, 1_280, 1_536, 1_792, 2_048, 2_304, 2_560, 2_600] {
            progress.report(done: done, total: 2_600)
        }
        progress.finished(StoreVerification(problems: [VerifyProblem(.auditChain, auditSeq: 4, "x")]))
        let lines = capture.records.map(\.rendered)
        #expect(lines.dropLast() == [
            "Store verification: started (SQLite's integrity check first, then each row) verify.rows=2600 verify.scope=all",
            "Store verification: checking the rows verify.done=512 verify.rows=2600 verify.scope=all",
            "Store verification: checking the rows verify.done=768 verify.rows=2600 verify.scope=all",
            "Store verification: checking the rows verify.done=1024 verify.rows=2600 verify.scope=all",
            "Store verification: checking the rows verify.done=1280 verify.rows=2600 verify.scope=all",
            "Store verification: checking the rows verify.done=1536 verify.rows=2600 verify.scope=all",
            "Store verification: checking the rows verify.done=1792 verify.rows=2600 verify.scope=all",
            "Store verification: checking the rows verify.done=2048 verify.rows=2600 verify.scope=all",
            "Store verification: checking the rows verify.done=2304 verify.rows=2600 verify.scope=all",
            "Store verification: checking the rows verify.done=2560 verify.rows=2600 verify.scope=all",
        ])
        #expect(capture.records.last?.message == "Store verification: finished")
        #expect(capture.records.last?.metadata["verify.problems"] == "1")
        #expect(capture.records.allSatisfy { $0.level == .info })
    }

    @Test("An empty audit trail logs its start once and its end (StoreVerifier reports 0 of 0 twice)")
    func empty() {
        let capture = LogCapture()
        let progress = VerifyProgressLog(logger: capture.logger, scope: "audit")
        progress.report(done: 0, total: 0)
        progress.report(done: 0, total: 0)
        progress.finished(StoreVerification())
        #expect(capture.records.map(\.message) == ["Store verification: started (the audit trail's entries)",
                                                    "Store verification: finished"])
        #expect(capture.records.first?.metadata == ["verify.scope": "audit", "verify.rows": "0"])
        #expect(capture.records.last?.metadata["verify.problems"] == "0")
    }
}
