import Foundation
import PillboxFHIR

/// How the daemon talks to the central record. A `nil` `centralURL` means local-only mode.
public struct UploadSettings: Sendable, Equatable {
    /// FHIR base URL of the central record (`https://…/fhir`), or nil for local-only mode.
    public var centralURL: String?
    /// The pharmacy's identity on the central record.
    public var pharmacy: PharmacyIdentity
    /// Client certificate, key and trusted CA bundle (mutual TLS); required for https.
    public var tls: TLSFiles?
    /// Entries per FHIR batch Bundle.
    public var batchSize: Int
    /// First retry delay after a transient failure, in seconds (doubles each time, full jitter).
    public var backoffInitialSeconds: Double
    /// Longest retry delay, in seconds.
    public var backoffMaxSeconds: Double
    /// The uploader waits a random time up to this before its first attempt, in seconds, so
    /// that a fleet restarting together does not arrive together.
    public var startJitterSeconds: Double
    /// Longest wait for one central request, in seconds.
    public var requestTimeoutSeconds: Double
    /// How long a profile request may wait for the central record, in milliseconds.
    public var profileBudgetMilliseconds: Int
    /// How often the uploader looks for work when nothing woke it, in seconds.
    public var idlePollSeconds: Double
    /// Background refresh of recent patients' central profiles.
    public var prefetch: PrefetchSettings
    /// This many distinct entries refused in a row, with nothing accepted in between, is a
    /// systemic refusal (a configuration problem): nothing more is dead-lettered until the
    /// central record accepts again.
    public var systemicRefusalThreshold: Int = 10
    /// Longest wait between attempts while a configuration problem lasts (systemic refusal,
    /// credentials, wrong URL), in seconds; the wait grows like the back-off up to this.
    public var configurationRetrySeconds: Double = 30

    /// Files for mutual TLS.
    public struct TLSFiles: Sendable, Equatable {
        public var certificate: String
        public var privateKey: String
        public var caBundle: String

        public init(certificate: String, privateKey: String, caBundle: String) {
            self.certificate = certificate
            self.privateKey = privateKey
            self.caBundle = caBundle
        }
    }

    /// Which profiles to keep fresh, and how politely.
    public struct PrefetchSettings: Sendable, Equatable {
        /// Patients dispensed to within this many days are kept fresh (0 turns prefetch off).
        public var recentDays: Int
        /// A cached profile older than this many minutes is refreshed.
        public var refreshAgeMinutes: Int
        /// At most this many profile fetches per minute.
        public var requestsPerMinute: Int

        public init(recentDays: Int = 30, refreshAgeMinutes: Int = 240, requestsPerMinute: Int = 30) {
            self.recentDays = recentDays
            self.refreshAgeMinutes = refreshAgeMinutes
            self.requestsPerMinute = requestsPerMinute
        }
    }

    public init(centralURL: String? = nil,
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

    /// Checks the settings; the message names the setting and says what to do.
    public func validate() -> String? {
        guard let centralURL else { return nil }
        guard let url = URL(string: centralURL), let scheme = url.scheme?.lowercased(), let host = url.host else {
            return "central.url: \(centralURL) is not an absolute URL"
        }
        switch scheme {
        case "https":
            if tls == nil {
                return "central.tls: https needs a client certificate, its key and the central record's CA bundle"
            }
        case "http":
            if !["127.0.0.1", "localhost", "::1", "[::1]"].contains(host.lowercased()) {
                return "central.url: plain http is allowed only on loopback (tests and demos); use https"
            }
        default:
            return "central.url: the scheme must be https (or http on loopback)"
        }
        let unconfigured = UploadSettings().pharmacy
        if pharmacy.system == unconfigured.system || pharmacy.pharmacyID == unconfigured.pharmacyID {
            return "central.pharmacySystem and central.pharmacyId: set the pharmacy's identifier namespace URI and id"
        }
        guard let systemURL = URL(string: pharmacy.system), systemURL.scheme != nil, !pharmacy.system.contains(" ") else {
            return "central.pharmacySystem: must be an absolute URI, e.g. https://pharmacy.example/ids/1234"
        }
        if pharmacy.system.contains("|") || pharmacy.pharmacyID.contains("|") || pharmacy.pharmacyID.isEmpty {
            return "central.pharmacySystem/pharmacyId: must not contain '|' (it separates the parts of resource ids), and the id must not be empty"
        }
        if !(1...1000).contains(batchSize) { return "central.batchSize: must be 1 to 1000" }
        if !(backoffInitialSeconds > 0 && backoffInitialSeconds <= backoffMaxSeconds && backoffMaxSeconds <= 86_400) {
            return "central.backoffInitialSeconds/backoffMaxSeconds: need 0 < initial <= max <= 86400"
        }
        if !(0...3600).contains(startJitterSeconds) { return "central.startJitterSeconds: must be 0 to 3600" }
        if !(requestTimeoutSeconds > 0 && requestTimeoutSeconds <= 600) { return "central.requestTimeoutSeconds: must be in (0, 600]" }
        if !(10...10_000).contains(profileBudgetMilliseconds) { return "central.profileBudgetMilliseconds: must be 10 to 10000" }
        if !(idlePollSeconds > 0 && idlePollSeconds <= 3600) { return "central.idlePollSeconds: must be in (0, 3600]" }
        if !(1...10_000).contains(systemicRefusalThreshold) { return "central.systemicRefusalThreshold: must be 1 to 10000" }
        if !(configurationRetrySeconds > 0 && configurationRetrySeconds <= 86_400) {
            return "central.configurationRetrySeconds: must be in (0, 86400]"
        }
        if prefetch.recentDays < 0 || prefetch.refreshAgeMinutes < 1 || prefetch.requestsPerMinute < 1 {
            return "central.prefetch: recentDays >= 0, refreshAgeMinutes >= 1, requestsPerMinute >= 1"
        }
        return nil
    }
}
