import COpenSSL
import Foundation

extension SHA256Digest {
    /// The SHA-256 digest and the size of the file at `path`, read in 1 MiB chunks (a
    /// database of gigabytes is never held in memory); nil when the file cannot be opened or
    /// read. Traps only if OpenSSL's SHA-256 itself fails, like `hash(_:)`.
    package static func hashFile(atPath path: String) -> (digest: [UInt8], bytes: Int64)? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let context = EVP_MD_CTX_new() else { fatalError("OpenSSL EVP_MD_CTX_new failed") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else { fatalError("OpenSSL EVP_DigestInit_ex failed") }
        var total: Int64 = 0
        while true {
            let read: Data?
            do { read = try handle.read(upToCount: 1 << 20) } catch { return nil }
            guard let chunk = read, !chunk.isEmpty else { break }
            total += Int64(chunk.count)
            let status = chunk.withUnsafeBytes { EVP_DigestUpdate(context, $0.baseAddress, $0.count) }
            guard status == 1 else { fatalError("OpenSSL EVP_DigestUpdate failed") }
        }
        var digest = [UInt8](repeating: 0, count: byteCount)
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &digest, &length) == 1, Int(length) == byteCount else {
            fatalError("OpenSSL EVP_DigestFinal_ex failed")
        }
        return (digest, total)
    }
}
