import PillboxModel

/// Local-only mode: no central record configured.
public struct LocalOnlyCentral: CentralRecordView {
    public init() {}
    public func status() -> CentralStatus { CentralStatus(configured: false) }
    public func profile(nam: String, localDispenseIDs: Set<String>) async -> CentralProfile { .localOnly }
    public func cachedProfile(nam: String, localDispenseIDs: Set<String>) async -> CentralProfile { .localOnly }
    public func requestSync() {}
}
