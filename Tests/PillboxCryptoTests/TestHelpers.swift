import Foundation
import PillboxCrypto

#if canImport(Glibc)
import Glibc
#endif

/// Decodes a hex literal from a test vector; a typo in a vector stops the test run loudly.
func hex(_ string: String) -> [UInt8] {
    guard let bytes = Hex.decode(string) else { fatalError("bad hex literal in test: \(string)") }
    return bytes
}

/// A fresh directory under the system temporary directory, removed when the test ends.
struct TemporaryDirectory: ~Copyable {
    let path: String

    init() throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("pillbox-crypto-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        path = url.path
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// The path of `name` inside this directory.
    func file(_ name: String) -> String { path + "/" + name }

    /// Writes `bytes` to `name` and sets its mode exactly (ignoring the umask).
    @discardableResult
    func write(_ bytes: [UInt8], to name: String, mode: mode_t) throws -> String {
        let target = file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: target))
        guard chmod(target, mode) == 0 else { throw POSIXError(.EPERM) }
        return target
    }

    /// The permission bits of `path`.
    func mode(of target: String) -> mode_t {
        var info = stat()
        precondition(stat(target, &info) == 0, "stat failed for \(target)")
        return info.st_mode & 0o7777
    }
}
