import Foundation

/// Request framing for the tests' own HTTP/1.1 servers (`BlackHoleListener`, the scripted
/// server of `LocalClientRetryTests`): where one request ends in the bytes read so far.
package enum HTTPRequestFraming {
    /// Removes the first complete request (its head and the body its `Content-Length`
    /// announces) from `bytes` and returns its request line; nil, leaving `bytes` alone, while
    /// the request is incomplete.
    package static func takeRequest(from bytes: inout [UInt8]) -> String? {
        guard let end = bytes.firstRange(of: Array("\r\n\r\n".utf8)) else { return nil }
        let lines = String(decoding: bytes[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let length = lines.dropFirst().compactMap { line -> Int? in
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
            return Int(parts[1].trimmingCharacters(in: .whitespaces))
        }.first ?? 0
        guard bytes.count >= end.upperBound + length else { return nil }
        bytes.removeSubrange(..<(end.upperBound + length))
        return lines[0]
    }
}
