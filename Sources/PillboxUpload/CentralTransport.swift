import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOSSL

/// One HTTP exchange with the central record.
package struct CentralRequest: Sendable {
    package var method: String
    /// A path relative to the FHIR base (`""`, `metadata`, `MedicationDispense?…`) or an
    /// absolute URL (a search's `next` link).
    package var path: String
    package var body: Data?
    /// The body's media type; `application/fhir+json` when nil.
    package var contentType: String?

    package init(method: String, path: String, body: Data? = nil, contentType: String? = nil) {
        self.method = method
        self.path = path
        self.body = body
        self.contentType = contentType
    }
}

/// The central record's answer.
package struct CentralResponse: Sendable {
    package var status: Int
    /// `Retry-After` in seconds, when given as a number.
    package var retryAfter: Double?
    package var body: Data

    package init(status: Int, retryAfter: Double? = nil, body: Data = Data()) {
        self.status = status
        self.retryAfter = retryAfter
        self.body = body
    }
}

/// A request that got no answer: refused, reset, timed out, or cut after sending (then the
/// central side may or may not have stored it — resending is safe: PUTs are idempotent).
package struct TransportError: Error, Sendable, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}

/// Sends requests to the central record. The real one speaks HTTPS with mutual TLS; tests
/// may use the simulator through the same implementation.
package protocol CentralTransport: Sendable {
    func send(_ request: CentralRequest) async throws -> CentralResponse
    func shutdown() async
}

/// `CentralTransport` over AsyncHTTPClient: mutual TLS with the configured client
/// certificate, the configured CA bundle as the only trust root, hostname verification on.
package final class HTTPCentralTransport: CentralTransport {
    let client: HTTPClient
    let baseURL: String
    let timeout: TimeAmount

    /// Builds the client; throws a readable message when a TLS file cannot be loaded.
    package init(settings: UploadSettings) throws(TransportError) {
        guard let url = settings.centralURL else { throw TransportError("no central URL configured") }
        baseURL = url.hasSuffix("/") ? String(url.dropLast()) : url
        timeout = .milliseconds(Int64(settings.requestTimeoutSeconds * 1000))
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(10), read: timeout)
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 2)
        configuration.redirectConfiguration = .disallow
        if let files = settings.tls {
            do {
                var tls = TLSConfiguration.makeClientConfiguration()
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(files.caBundle))
                tls.certificateChain = try NIOSSLCertificate.fromPEMFile(files.certificate).map { .certificate($0) }
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: files.privateKey, format: .pem))
                tls.certificateVerification = .fullVerification
                tls.minimumTLSVersion = .tlsv12
                configuration.tlsConfiguration = tls
            } catch {
                throw TransportError("cannot load the central TLS files (certificate \(files.certificate), key \(files.privateKey), "
                    + "CA bundle \(files.caBundle)): \(error)")
            }
        }
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    package func send(_ request: CentralRequest) async throws -> CentralResponse {
        if request.path.contains("://") {
            // Absolute URLs come from the server (search `next` links): only to the same origin.
            guard let target = URL(string: request.path), let base = URL(string: baseURL),
                  target.scheme == base.scheme, target.host == base.host, target.port == base.port else {
                throw TransportError("the central record pointed to another origin; not followed")
            }
        }
        let url = request.path.contains("://") ? request.path
            : request.path.isEmpty ? baseURL : "\(baseURL)/\(request.path)"
        var http = HTTPClientRequest(url: url)
        http.method = .init(rawValue: request.method)
        http.headers.add(name: "Accept", value: "application/fhir+json")
        if let body = request.body {
            http.headers.add(name: "Content-Type", value: request.contentType ?? "application/fhir+json")
            http.body = .bytes(ByteBuffer(data: body))
        }
        do {
            let response = try await client.execute(http, timeout: timeout)
            let body = try await response.body.collect(upTo: 32 * 1024 * 1024)
            let retryAfter = response.headers.first(name: "Retry-After").flatMap(Self.retryAfterSeconds)
            return CentralResponse(status: Int(response.status.code), retryAfter: retryAfter, body: Data(buffer: body))
        } catch {
            throw TransportError(Self.describe(error))
        }
    }

    package func shutdown() async {
        try? await client.shutdown()
    }

    /// `Retry-After` as delay-seconds or an HTTP-date (RFC 9110), in seconds from now.
    static func retryAfterSeconds(_ value: String) -> Double? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(text) { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text).map { max(0, $0.timeIntervalSinceNow) }
    }

    /// A short, non-identifying description of a transport failure.
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout: return "connect timeout"
            case .deadlineExceeded, .readTimeout: return "request timed out"
            case .remoteConnectionClosed: return "connection closed before the answer (resend is safe)"
            default: return "HTTP client error: \(error)"
            }
        }
        if let error = error as? NIOSSLError { return "TLS error: \(error)" }
        if error is CancellationError { return "cancelled" }
        return "connection failed: \(error)"
    }
}
