import Foundation
import PillboxFHIR
import PillboxModel

/// How the daemon talks to the central record: the `central` group of the configuration
/// file. A `nil` `centralURL` means local-only mode.
package struct UploadSettings: SettingsGroup {
    /// FHIR base URL of the central record (`https://…/fhir`), or nil for local-only mode.
    package var centralURL: String?
    /// The pharmacy's identity on the central record.
    package var pharmacy: PharmacyIdentity
    /// Client certificate, key and trusted CA bundle (mutual TLS); required for https.
    package var tls: TLSFiles?
    /// Entries per FHIR batch Bundle.
    package var batchSize: Int
    /// First retry delay after a transient failure, in seconds (doubles each time, full jitter).
    package var backoffInitialSeconds: Double
    /// Longest retry delay, in seconds.
    package var backoffMaxSeconds: Double
    /// The uploader waits a random time up to this before its first attempt, in seconds, so
    /// that a fleet restarting together does not arrive together.
    package var startJitterSeconds: Double
    /// Longest wait for one central request, in seconds.
    package var requestTimeoutSeconds: Double
    /// How long a profile request may wait for the central record, in milliseconds.
    package var profileBudgetMilliseconds: Int
    /// How often the uploader looks for work when nothing woke it, in seconds.
    package var idlePollSeconds: Double
    /// Background refresh of recent patients' central profiles.
    package var prefetch: PrefetchSettings
    /// This many distinct entries refused in a row, with nothing accepted in between, is a
    /// systemic refusal (a configuration problem): nothing more is dead-lettered until the
    /// central record accepts again.
    package var systemicRefusalThreshold: Int = 10
    /// Longest wait between attempts while a configuration problem lasts (systemic refusal,
    /// credentials, wrong URL), in seconds; the wait grows like the back-off up to this.
    package var configurationRetrySeconds: Double = 30

    /// Files for mutual TLS (`central.tls`): all three or none.
    package struct TLSFiles: SettingsGroup {
        package var certificate: String
        package var privateKey: String
        package var caBundle: String

        package init(certificate: String, privateKey: String, caBundle: String) {
            self.certificate = certificate
            self.privateKey = privateKey
            self.caBundle = caBundle
        }

        package init() { self.init(certificate: "", privateKey: "", caBundle: "") }

        package static var settings: [Setting<TLSFiles>] {
            [Setting("certificate", \.certificate), Setting("privateKey", \.privateKey), Setting("caBundle", \.caBundle)]
        }

        package init(from decoder: any Decoder) throws {
            self.init()
            try decodeSettings(from: decoder)
            let given = try decoder.container(keyedBy: SettingKey.self).allKeys
            if given.count < Self.settings.count {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                        debugDescription: "needs certificate, privateKey and caBundle (PEM file paths)"))
            }
        }
    }

    /// Which profiles to keep fresh, and how politely (`central.prefetch`).
    package struct PrefetchSettings: SettingsGroup {
        /// Patients dispensed to within this many days are kept fresh (0 turns prefetch off).
        package var recentDays = 30
        /// A cached profile older than this many minutes is refreshed.
        package var refreshAgeMinutes = 240
        /// At most this many profile fetches per minute.
        package var requestsPerMinute = 30

        package init() {}

        package init(recentDays: Int, refreshAgeMinutes: Int, requestsPerMinute: Int) {
            self.recentDays = recentDays
            self.refreshAgeMinutes = refreshAgeMinutes
            self.requestsPerMinute = requestsPerMinute
        }

        package static var settings: [Setting<PrefetchSettings>] {
            [Setting("recentDays", \.recentDays), Setting("refreshAgeMinutes", \.refreshAgeMinutes),
             Setting("requestsPerMinute", \.requestsPerMinute)]
        }

        package func validate() throws(ConfigurationError) {
            if recentDays < 0 || refreshAgeMinutes < 1 || requestsPerMinute < 1 {
                throw ConfigurationError([], "recentDays >= 0, refreshAgeMinutes >= 1, requestsPerMinute >= 1")
            }
        }
    }

    package init(centralURL: String? = nil,
                pharmacy: PharmacyIdentity = PharmacyIdentity(system: "urn:pillbox:unconfigured-pharmacy", pharmacyID: "unconfigured"),
                tls: TLSFiles? = nil, batchSize: Int = 100, backoffInitialSeconds: Double = 1, backoffMaxSeconds: Double = 300,
                startJitterSeconds: Double = 30, requestTimeoutSeconds: Double = 30, profileBudgetMilliseconds: Int = 300,
                idlePollSeconds: Double = 5, prefetch: PrefetchSettings = PrefetchSettings()) {
        self.centralURL = centralURL
        self.pharmacy = pharmacy
        self.tls = tls
        self.batchSize = batchSize
        self.backoffInitialSeconds = backoffInitialSeconds
        self.backoffMaxSeconds = backoffMaxSeconds
        self.startJitterSeconds = startJitterSeconds
        self.requestTimeoutSeconds = requestTimeoutSeconds
        self.profileBudgetMilliseconds = profileBudgetMilliseconds
        self.idlePollSeconds = idlePollSeconds
        self.prefetch = prefetch
    }

    /// The defaults: local-only.
    package init() { self.init(centralURL: nil) }

    package static var settings: [Setting<UploadSettings>] {
        [
            Setting("url", \.centralURL, as: String.self, read: { $0.isEmpty ? nil : $0 }, write: { $0 }),
            Setting("pharmacySystem", \.pharmacy.system), Setting("pharmacyId", \.pharmacy.pharmacyID),
            Setting("tls", \.tls), Setting("batchSize", \.batchSize),
            Setting("backoffInitialSeconds", \.backoffInitialSeconds), Setting("backoffMaxSeconds", \.backoffMaxSeconds),
            Setting("startJitterSeconds", \.startJitterSeconds), Setting("requestTimeoutSeconds", \.requestTimeoutSeconds),
            Setting("profileBudgetMilliseconds", \.profileBudgetMilliseconds), Setting("idlePollSeconds", \.idlePollSeconds),
            Setting("systemicRefusalThreshold", \.systemicRefusalThreshold),
            Setting("configurationRetrySeconds", \.configurationRetrySeconds), Setting("prefetch", \.prefetch),
        ]
    }

    /// Checks the section only when a URL is set: local-only mode uses none of it.
    package func check() throws(ConfigurationError) {
        guard centralURL != nil else { return }
        try checkGroups()
        try validate()
    }

    package func validate() throws(ConfigurationError) {
        guard let centralURL else { return }
        guard let url = URL(string: centralURL), let scheme = url.scheme?.lowercased(), let host = url.host else {
            throw ConfigurationError("url", "\(centralURL) is not an absolute URL")
        }
        switch scheme {
        case "https":
            if tls == nil {
                throw ConfigurationError("tls", "https needs a client certificate, its key and the central record's CA bundle")
            }
        case "http":
            if !["127.0.0.1", "localhost", "::1", "[::1]"].contains(host.lowercased()) {
                throw ConfigurationError("url", "plain http is allowed only on loopback (tests and demos); use https")
            }
        default:
            throw ConfigurationError("url", "the scheme must be https (or http on loopback)")
        }
        let unconfigured = UploadSettings().pharmacy
        if pharmacy.system == unconfigured.system || pharmacy.pharmacyID == unconfigured.pharmacyID {
            throw ConfigurationError("pharmacySystem", "set the pharmacy's identifier namespace URI and id "
                + "(central.pharmacySystem and central.pharmacyId)")
        }
        guard let systemURL = URL(string: pharmacy.system), systemURL.scheme != nil, !pharmacy.system.contains(" ") else {
            throw ConfigurationError("pharmacySystem", "must be an absolute URI, e.g. https://pharmacy.example/ids/1234")
        }
        if pharmacy.system.contains("|") {
            throw ConfigurationError("pharmacySystem", "must not contain '|' (it separates the parts of resource ids)")
        }
        if pharmacy.pharmacyID.contains("|") || pharmacy.pharmacyID.isEmpty {
            throw ConfigurationError("pharmacyId", "must not be empty or contain '|' (it separates the parts of resource ids)")
        }
        try require("batchSize", batchSize, in: 1...1000)
        try require("backoffMaxSeconds", backoffMaxSeconds, above: 0, atMost: 86_400)
        try require("backoffInitialSeconds", backoffInitialSeconds, above: 0, atMost: backoffMaxSeconds)
        try require("startJitterSeconds", startJitterSeconds, in: 0...3600)
        try require("requestTimeoutSeconds", requestTimeoutSeconds, above: 0, atMost: 600)
        try require("profileBudgetMilliseconds", profileBudgetMilliseconds, in: 10...10_000)
        try require("idlePollSeconds", idlePollSeconds, above: 0, atMost: 3600)
        try require("systemicRefusalThreshold", systemicRefusalThreshold, in: 1...10_000)
        try require("configurationRetrySeconds", configurationRetrySeconds, above: 0, atMost: 86_400)
    }
}
