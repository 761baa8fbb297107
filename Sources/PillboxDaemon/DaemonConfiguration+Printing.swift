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
            "healthProbeSeconds": healthProbeSeconds,
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
                "maxOpenConnections": limits.maxOpenConnections,
                "maxConnectionsPerPeer": limits.maxConnectionsPerPeer,
                "responseTimeoutSeconds": limits.responseTimeoutSeconds,
                "listenBacklog": limits.listenBacklog,
                "maxShortText": validation.maxShortText,
                "maxLongText": validation.maxLongText,
            ],
        ]
        if let keyFile { object["keyFile"] = keyFile }
        var central: [String: Any] = [
            "pharmacySystem": upload.pharmacy.system, "pharmacyId": upload.pharmacy.pharmacyID,
            "batchSize": upload.batchSize, "backoffInitialSeconds": upload.backoffInitialSeconds,
            "backoffMaxSeconds": upload.backoffMaxSeconds, "startJitterSeconds": upload.startJitterSeconds,
            "requestTimeoutSeconds": upload.requestTimeoutSeconds,
            "profileBudgetMilliseconds": upload.profileBudgetMilliseconds, "idlePollSeconds": upload.idlePollSeconds,
            "prefetch": ["recentDays": upload.prefetch.recentDays, "refreshAgeMinutes": upload.prefetch.refreshAgeMinutes,
                         "requestsPerMinute": upload.prefetch.requestsPerMinute],
        ]
        central["systemicRefusalThreshold"] = upload.systemicRefusalThreshold
        central["configurationRetrySeconds"] = upload.configurationRetrySeconds
        if let url = upload.centralURL { central["url"] = url }
        if let tls = upload.tls {
            central["tls"] = ["certificate": tls.certificate, "privateKey": tls.privateKey, "caBundle": tls.caBundle]
        }
        object["central"] = central
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
