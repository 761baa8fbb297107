import Foundation
import PillboxModel

/// Sizes, durations and ages as a technician reads them: "3.2 MB", "2 h ago" (French: "3,2 Mo",
/// "il y a 2 h").
package enum Human {
    /// Bytes in decimal units: "512 B", "3.2 MB", "1.0 GB"; French "512 o", "3,2 Mo", "1,0 Go".
    package static func bytes(_ count: Int64, _ language: Language = Words.language) -> String {
        let units = language == .fr ? ["o", "ko", "Mo", "Go", "To"] : ["B", "kB", "MB", "GB", "TB"]
        if count < 1000 { return "\(count) \(units[0])" }
        var value = Double(count)
        var unit = 0
        while value >= 999.95 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return "\(decimal(value, language)) \(units[unit])"
    }

    /// A duration: "45 s", "12 min", "2 h", "3 d" (French "3 j"), rounded down to its largest unit.
    package static func duration(seconds: Int, _ language: Language = Words.language) -> String {
        let s = max(0, seconds)
        switch s {
        case ..<60: return "\(s) s"
        case ..<3600: return "\(s / 60) min"
        case ..<86_400: return "\(s / 3600) h"
        default: return "\(s / 86_400) \(language == .fr ? "j" : "d")"
        }
    }

    /// An age: "2 h ago" / "il y a 2 h".
    package static func age(seconds: Int, _ language: Language = Words.language) -> String {
        let d = duration(seconds: seconds, language)
        return language == .fr ? "il y a \(d)" : "\(d) ago"
    }

    /// A share in percent, one decimal below 10: "7.5 %", "42 %" (French "7,5 %").
    package static func percent(_ value: Double, _ language: Language = Words.language) -> String {
        value < 10 ? "\(decimal(value, language)) %" : "\(Int(value.rounded())) %"
    }

    /// The age of an RFC 3339 time at `now` ("2 h ago"); `never` when absent or unreadable.
    package static func age(of time: String?, now: Date, never: String, _ language: Language = Words.language) -> String {
        guard let time, let date = Timestamps.parseRFC3339(time) else { return never }
        return age(seconds: Int(now.timeIntervalSince(date)), language)
    }

    /// One decimal, with the language's decimal separator.
    static func decimal(_ value: Double, _ language: Language) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10)\(language == .fr ? "," : ".")\(tenths % 10)"
    }
}
