import PillboxStore

/// A `ReadOnlyStore` with the folder it came from, closed through `OfflineDataFolder.close`.
struct ReadOnlyStoreHandle {
    let folder: OfflineDataFolder
    let store: ReadOnlyStore

    func close() { folder.close(store) }
}
