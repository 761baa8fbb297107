/// The owner and mode rule for secret files and private folders (`pillbox doctor`): owned by
/// one of the allowed users, and no permission at all for group or others (0600, 0400 or
/// 0700 and stricter).
package struct FilePermissions: Sendable, Equatable {
    package var ownerUID: UInt32
    /// Permission bits (`st_mode & 0o7777`).
    package var mode: UInt32

    package init(ownerUID: UInt32, mode: UInt32) {
        self.ownerUID = ownerUID
        self.mode = mode
    }

    /// True when nobody but the owner may read, write or enter.
    package var isPrivate: Bool { mode & 0o077 == 0 }

    /// True when the owner is one of `allowedOwners`.
    package func ownedByOneOf(_ allowedOwners: [UInt32]) -> Bool { allowedOwners.contains(ownerUID) }

    /// The mode as `ls` shows it in octal: "0600".
    package var octal: String {
        let digits = String(mode & 0o7777, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
