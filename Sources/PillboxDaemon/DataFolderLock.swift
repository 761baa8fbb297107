import Foundation

/// An exclusive `flock` on `pillbox.lock` in the data folder, held while the daemon runs,
/// so that two daemons never open the same store (the lock goes with the process, even
/// after kill -9).
final class DataFolderLock: Sendable {
    private let fd: Int32

    init(folder: String) throws(DaemonError) {
        let path = (folder as NSString).appendingPathComponent("pillbox.lock")
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw DaemonError(.io, "cannot open \(path) (errno \(errno)); check the data folder's owner and permissions")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw DaemonError(.io, "another pillboxd is using the data folder \(folder); stop it first")
        }
    }

    /// Releases the lock.
    func release() {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
