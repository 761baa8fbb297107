import Foundation
import PillboxConsole
import PillboxModel
import Testing

@Suite struct WordsTests {
    @Test(arguments: [
        ([:], Language.en),
        (["LANG": "fr_CA.UTF-8"], .fr),
        (["LANG": "en_CA.UTF-8", "LC_MESSAGES": "fr_CA.UTF-8"], .fr),
        (["LANG": "fr_CA.UTF-8", "LC_MESSAGES": "en_US.UTF-8"], .en),
        (["LC_ALL": "fr_FR.UTF-8", "LC_MESSAGES": "en_US.UTF-8"], .fr),
        (["LC_ALL": "", "LANG": "fr"], .fr),
        (["LANG": "C.UTF-8"], .en),
    ])
    func languageFromEnvironment(environment: [String: String], expected: Language) {
        #expect(Words.language(environment: environment) == expected)
    }

    @Test func trPicksTheLanguage() {
        #expect(tr("Records", "Dossiers", .en) == "Records")
        #expect(tr("Records", "Dossiers", .fr) == "Dossiers")
    }
}

@Suite struct HumanTests {
    @Test func bytes() {
        #expect(Human.bytes(0, .en) == "0 B")
        #expect(Human.bytes(999, .en) == "999 B")
        #expect(Human.bytes(1000, .en) == "1.0 kB")
        #expect(Human.bytes(3_240_000, .en) == "3.2 MB")
        #expect(Human.bytes(3_240_000, .fr) == "3,2 Mo")
        #expect(Human.bytes(999_960, .en) == "1.0 MB")
        #expect(Human.bytes(12_000_000_000, .en) == "12.0 GB")
    }

    @Test func ages() {
        #expect(Human.age(seconds: 59, .en) == "59 s ago")
        #expect(Human.age(seconds: 60, .en) == "1 min ago")
        #expect(Human.age(seconds: 7200, .en) == "2 h ago")
        #expect(Human.age(seconds: 7200, .fr) == "il y a 2 h")
        #expect(Human.age(seconds: 3 * 86_400 + 5, .fr) == "il y a 3 j")
        #expect(Human.age(seconds: -5, .en) == "0 s ago")
    }
}

@Suite struct TableTests {
    @Test func alignsColumns() {
        var table = Table(header: ["ID", "State"])
        table.add(["a", "pending"])
        table.add(["longer-id", "sent"])
        #expect(table.lines == ["ID         State", "a          pending", "longer-id  sent"])
    }
}

@Suite struct TerminalTests {
    @Test func colourOnlyWhenEnabled() {
        #expect(Terminal.paint("x", .red, enabled: false) == "x")
        #expect(Terminal.paint("x", .red, enabled: true) == "\u{1B}[31mx\u{1B}[0m")
        #expect(Terminal.allowsColour(["TERM": "xterm"]))
        #expect(!Terminal.allowsColour(["TERM": "dumb"]))
        #expect(!Terminal.allowsColour(["TERM": "xterm", "NO_COLOR": "1"]))
    }

    @Test func progressText() {
        let start = Date(timeIntervalSince1970: 1000)
        let line = ProgressLine("verify", total: 5000, enabled: false, language: .en, now: start)
        #expect(line.text(done: 0, now: start) == "verify 0/5000 (0 %)")
        #expect(line.text(done: 1200, now: start.addingTimeInterval(4)) == "verify 1200/5000 (24 %), 300/s, 13 s left")
        let french = ProgressLine("vérification", total: 100, enabled: false, language: .fr, now: start)
        #expect(french.text(done: 100, now: start.addingTimeInterval(2)) == "vérification 100/100 (100 %), 50/s")
    }
}
