import PillboxAPI
import PillboxModel

/// The `roles` group of the configuration file: roles by user and by group, beyond the
/// built-in admins. Setting either map in the file replaces it whole.
package struct RoleSettings: SettingsGroup {
    /// Role names by user (name or numeric uid).
    package var users: [String: Role] = [:]
    /// Role names by group (name or numeric gid). Default: `pillbox` → dispense.
    package var groups: [String: Role] = ["pillbox": .dispense]

    /// The defaults.
    package init() {}

    package static var settings: [Setting<RoleSettings>] {
        [
            Setting("users", \.users, as: [String: String].self, read: parse, write: { $0.mapValues(\.rawValue) }),
            Setting("groups", \.groups, as: [String: String].self, read: parse, write: { $0.mapValues(\.rawValue) }),
        ]
    }

    static func parse(_ names: [String: String]) throws(ConfigurationError) -> [String: Role] {
        var roles: [String: Role] = [:]
        for (name, text) in names.sorted(by: { $0.key < $1.key }) {
            guard let role = Role(rawValue: text) else {
                throw ConfigurationError(name, "must be \"read\", \"dispense\" or \"admin\"")
            }
            roles[name] = role
        }
        return roles
    }

    /// Every user and group named must exist on this system.
    package func validate() throws(ConfigurationError) {
        _ = try table(daemonUID: 0)
    }

    /// The role table: root and the daemon's own user are admin, then the configured
    /// users and groups. Names that do not exist on this system are configuration errors;
    /// the default `pillbox` group is skipped silently when absent.
    package func table(daemonUID: UInt32) throws(ConfigurationError) -> RoleTable {
        var table = RoleTable(users: [0: .admin])
        table.users[daemonUID] = .admin
        for (name, role) in users {
            guard let uid = UInt32(name) ?? RoleTable.userID(named: name) else {
                throw ConfigurationError("users", "no user \"\(name)\" on this system")
            }
            table.users[uid] = role
        }
        for (name, role) in groups {
            guard let gid = UInt32(name) ?? RoleTable.groupID(named: name) else {
                if name == "pillbox" && groups == Self().groups { continue }
                throw ConfigurationError("groups", "no group \"\(name)\" on this system")
            }
            table.groups[gid] = role
        }
        return table
    }
}
