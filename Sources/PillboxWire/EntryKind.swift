/// The keys that tell a list entry's kind: `problem` (unreadable) and `source` (profile).
enum EntryKind: String, CodingKey {
    case problem, source
}
