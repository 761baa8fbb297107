import Foundation
import PillboxConsole
import Testing

@Suite struct ConsoleStreamTests {
    @Test("Lines and raw answers written one after another reach the descriptor in order, byte for byte, one newline each")
    func writesInOrder() throws {
        let pipe = Pipe()
        let stream = ConsoleStream(pipe.fileHandleForWriting)
        stream.raw(Data("{\"a\":1}".utf8))
        stream.raw(Data("{\"b\":2}\n".utf8))
        stream.line("first line")
        stream.raw(Data())
        stream.raw(Data("{\"c\":3}".utf8))
        stream.line("")
        stream.line("é, last")
        try pipe.fileHandleForWriting.close()
        let bytes = try #require(try pipe.fileHandleForReading.readToEnd())
        #expect(String(decoding: bytes, as: UTF8.self) == "{\"a\":1}\n{\"b\":2}\nfirst line\n\n{\"c\":3}\n\né, last\n")
    }
}
