import Foundation

extension DaemonConfiguration {
    /// The effective configuration as the JSON a configuration file would hold, for
    /// `pillboxd --check-config`. Holds no secret: key material is never part of it.
    public func effectiveJSON() -> String {
        var object: [String: Any] = [
            "dataDir": dataDir,
            "socket": socketPath,
            "dev": dev,
            "logLevel": logLevel,
            "socketMode": "0" + String(socketMode, radix: 8),
            "auditFlushMilliseconds": auditFlushMilliseconds,
            "roles": [
                "users": userRoles.mapValues(\.rawValue),
                "groups": groupRoles.mapValues(\.rawValue),
            ],
            "limits": [
                "maxBodyBytes": limits.maxBodyBytes,
                "maxHeaderBytes": limits.maxHeaderBytes,
                "requestTimeoutSeconds": limits.requestTimeoutSeconds,
                "idleTimeoutSeconds": limits.idleTimeoutSeconds,
                "maxConnections": limits.maxConnections,
                "maxPageSize": limits.maxPageSize,
                "maxShortText": validation.maxShortText,
                "maxLongText": validation.maxLongText,
            ],
        ]
        object["keyFile"] = keyFile ?? NSNull()
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
