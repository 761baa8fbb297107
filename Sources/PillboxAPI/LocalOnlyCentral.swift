import PillboxModel

/// Local-only mode: no central record configured.
package struct LocalOnlyCentral: CentralRecordView {
    package init() {}
    package func status() -> CentralStatus { CentralStatus(configured: false) }
    package func profile(nam: String, localDispenseIDs: Set<String>) async -> CentralProfile { .localOnly }
    package func cachedProfile(nam: String, localDispenseIDs: Set<String>) async -> CentralProfile { .localOnly }
    package func requestSync() {}
}
