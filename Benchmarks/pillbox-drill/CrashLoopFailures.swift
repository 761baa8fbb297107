/// The crash-loop drill's failures by kind; the first few are printed as they happen (record
/// ids, versions and counts only), the rest only counted.
struct CrashLoopFailures {
    private(set) var contentCount = 0
    private(set) var integrityCount = 0
    private(set) var auditCount = 0
    private(set) var readyCount = 0
    private(set) var finalCount = 0
    let printedAtMost = 20

    var total: Int { contentCount + integrityCount + auditCount + readyCount + finalCount }

    mutating func content(_ what: String) { contentCount += 1; show(what) }
    mutating func integrity(_ what: String) { integrityCount += 1; show(what) }
    mutating func audit(_ what: String) { auditCount += 1; show(what) }
    mutating func ready(_ what: String) { readyCount += 1; show(what) }
    mutating func final(_ what: String) { finalCount += 1; show(what) }

    private func show(_ what: String) {
        if total <= printedAtMost { print("     crash-loop: problem: \(what)") }
    }
}
