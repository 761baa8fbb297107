import Foundation

/// Where the tool writes: standard output or standard error, each write going to the file
/// descriptor at once and whole. Nothing is buffered, so lines and raw answers written one
/// after the other come out in the order written (a buffered `print` mixed with direct writes
/// could put a newline after later bytes).
package struct ConsoleStream: Sendable {
    /// The tool's answers.
    package static let standardOutput = ConsoleStream(FileHandle.standardOutput)
    /// The tool's problems.
    package static let standardError = ConsoleStream(FileHandle.standardError)

    private let handle: FileHandle

    /// A stream writing to `handle` (tests pass a pipe).
    package init(_ handle: FileHandle) { self.handle = handle }

    /// Writes `text` and a newline.
    package func line(_ text: String) { write(Data((text + "\n").utf8)) }

    /// Writes `data`, then a newline unless it ends with one.
    package func raw(_ data: Data) {
        var data = data
        if data.last != UInt8(ascii: "\n") { data.append(UInt8(ascii: "\n")) }
        write(data)
    }

    private func write(_ data: Data) {
        // A closed reader (`| head`) ends the tool by SIGPIPE, as with any command-line tool.
        try? handle.write(contentsOf: data)
    }
}
