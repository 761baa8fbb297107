import Foundation
import Hummingbird
import PillboxModel
import PillboxStore
import PillboxWire

/// The body of `GET /v1/patients/{nam}/medications` assembled from ready bytes: the local
/// records' answer objects (`Store.profileAnswer`) and the central entries' cached fragments,
/// merged newest first. It has the bytes `JSONCoding.encoder` writes for `ProfileResponse`
/// (sorted keys), without decoding or encoding any dispense.
struct ProfileAnswer {
    /// One entry of the merged list.
    enum Entry {
        case local(RecordJSON)
        case central(CentralFragment)
        case unreadable(UnreadableDispense)
    }

    var nam: String
    /// In answer order.
    var medications: [Entry]
    var central: CentralProfileFragments

    /// Merges the local listing with the central fragments as the profile always has: local
    /// entries at their clear dispense time, central ones at their sort date (those before
    /// `since` left out), newest first, at most `limit`.
    init(nam: String, local: AnswerListing, central: CentralProfileFragments, since: Date?, limit: Int) {
        var entries: [(at: Date, entry: Entry)] = []
        entries.reserveCapacity(local.entries.count + central.fragments.count)
        for (index, listed) in local.entries.enumerated() {
            switch listed {
            case .record(let record): entries.append((local.dispensedAt[index], .local(record)))
            case .unreadable(let flag): entries.append((flag.dispensedAt, .unreadable(flag)))
            }
        }
        for fragment in central.fragments {
            let at = fragment.sortDate
            if since.map({ at >= $0 }) ?? true { entries.append((at, .central(fragment))) }
        }
        entries.sort { $0.at > $1.at }
        self.nam = nam
        self.medications = entries.prefix(limit).map(\.entry)
        self.central = central
    }

    /// How many entries are unreadable.
    var unreadableEntries: Int {
        medications.reduce(0) { count, entry in if case .unreadable = entry { count + 1 } else { count } }
    }

    /// The JSON bytes.
    var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(medications.reduce(256) { size, entry in
            switch entry {
            case .local(let record): size + record.bytes.count + 1
            case .central(let fragment): size + fragment.json.count + 1
            case .unreadable: size + 256
            }
        })
        out.append(contentsOf: #"{"central":{"#.utf8)
        if let asOf = central.asOf {
            JSONBytes.appendKey("asOf", to: &out)
            JSONBytes.appendString(Timestamps.format(asOf), to: &out)
            out.append(UInt8(ascii: ","))
        }
        JSONBytes.appendKey("configured", to: &out)
        JSONBytes.appendBool(central.configured, to: &out)
        out.append(UInt8(ascii: ","))
        JSONBytes.appendKey("reachable", to: &out)
        JSONBytes.appendBool(central.reachable, to: &out)
        out.append(contentsOf: #"},"medications":["#.utf8)
        for (index, entry) in medications.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            switch entry {
            case .local(let record): out.append(contentsOf: record.bytes)
            case .central(let fragment): out.append(contentsOf: fragment.json)
            case .unreadable(let flag): Self.appendUnreadable(flag, to: &out)
            }
        }
        out.append(contentsOf: #"],"nam":"#.utf8)
        JSONBytes.appendString(nam, to: &out)
        out.append(UInt8(ascii: ","))
        JSONBytes.appendKey("unreadableEntries", to: &out)
        JSONBytes.appendInt(unreadableEntries, to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// An unreadable entry as `UnreadableEntry` encodes it (sorted keys, `source: local`).
    static func appendUnreadable(_ flag: UnreadableDispense, to out: inout [UInt8]) {
        let entry = UnreadableEntry(flag, source: "local")
        out.append(UInt8(ascii: "{"))
        JSONBytes.appendKey("detail", to: &out)
        JSONBytes.appendString(entry.detail, to: &out)
        out.append(UInt8(ascii: ","))
        JSONBytes.appendKey("id", to: &out)
        JSONBytes.appendString(entry.id, to: &out)
        out.append(UInt8(ascii: ","))
        JSONBytes.appendKey("problem", to: &out)
        JSONBytes.appendString(entry.problem, to: &out)
        out.append(UInt8(ascii: ","))
        JSONBytes.appendKey("source", to: &out)
        JSONBytes.appendString("local", to: &out)
        out.append(UInt8(ascii: ","))
        JSONBytes.appendKey("version", to: &out)
        JSONBytes.appendInt(entry.version, to: &out)
        out.append(UInt8(ascii: "}"))
    }
}
