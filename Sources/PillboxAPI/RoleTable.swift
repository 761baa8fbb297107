#if canImport(Glibc)
import Glibc
#endif

/// Maps users and groups to roles. A user's own entry wins over its groups'; among
/// groups (primary and supplementary), the highest role wins. Anyone unmatched has no role.
package struct RoleTable: Sendable, Equatable {
    /// Roles by user id.
    package var users: [UInt32: Role]
    /// Roles by group id.
    package var groups: [UInt32: Role]

    package init(users: [UInt32: Role] = [:], groups: [UInt32: Role] = [:]) {
        self.users = users
        self.groups = groups
    }

    /// The role of a caller, or nil when it has none.
    package func role(for peer: PeerCredentials) -> Role? {
        if let role = users[peer.uid] { return role }
        if groups.isEmpty { return nil }
        var best = groups[peer.gid]
        for gid in Self.supplementaryGroups(uid: peer.uid, primary: peer.gid) {
            if let role = groups[gid], best.map({ role > $0 }) ?? true { best = role }
        }
        return best
    }

    /// The groups a user belongs to, from the system's group database.
    static func supplementaryGroups(uid: UInt32, primary: UInt32) -> [UInt32] {
        // getpwuid_r: requests are handled concurrently, and getpwuid shares a static buffer.
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16 * 1024)
        guard getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0, result != nil, let name = entry.pw_name else {
            return []
        }
        var count: Int32 = 64
        var groups = [gid_t](repeating: 0, count: Int(count))
        if getgrouplist(name, primary, &groups, &count) == -1 {
            groups = [gid_t](repeating: 0, count: Int(count))
            guard getgrouplist(name, primary, &groups, &count) != -1 else { return [] }
        }
        return Array(groups.prefix(Int(count)))
    }

    /// Looks up a user name in the system's user database.
    package static func userID(named name: String) -> UInt32? {
        getpwnam(name).map { $0.pointee.pw_uid }
    }

    /// Looks up a group name in the system's group database.
    package static func groupID(named name: String) -> UInt32? {
        getgrnam(name).map { $0.pointee.gr_gid }
    }
}
