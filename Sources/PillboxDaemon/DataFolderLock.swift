import Foundation

/// An exclusive `flock` on `pillbox.lock` in the data folder, held while the daemon runs,
/// so that two daemons never open the same store (the lock goes with the process, even
/// after kill -9).
///
/// It is taken before anything else touches the data folder (the key check included), so a
/// second daemon started against a running one leaves the running one's files alone.
final class DataFolderLock: Sendable {
    private let fd: Int32
    private let path: String
    /// Whether this process created `pillbox.lock` (a data folder never used before).
    private let created: Bool

    init(folder: String) throws(DaemonError) {
        let path = (folder as NSString).appendingPathComponent("pillbox.lock")
        self.path = path
        var descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        var created = descriptor >= 0
        if descriptor < 0 && errno == EEXIST {
            descriptor = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW)
            created = false
        }
        guard descriptor >= 0 else {
            throw DaemonError(.io, "cannot open \(path) (errno \(errno)); check the data folder's owner and permissions")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            if created { unlink(path) }
            throw DaemonError(.io, "another pillboxd is using the data folder \(folder); stop it first")
        }
        self.fd = descriptor
        self.created = created
    }

    /// Releases the lock.
    func release() {
        flock(fd, LOCK_UN)
        close(fd)
    }

    /// Releases the lock after a refused start, removing `pillbox.lock` again if this process
    /// created it, so that the refused start leaves the data folder as it found it.
    func abandon() {
        if created { unlink(path) }
        release()
    }
}
