/// PEM files for the FHIR listener's mutual TLS.
public struct TLSFiles: Sendable, Equatable {
    /// The server's certificate chain, leaf first.
    public var certificateChainPath: String
    /// The server's private key.
    public var privateKeyPath: String
    /// The CA that signs client certificates; clients without a certificate it signed are refused.
    public var clientCAPath: String

    /// The three files of a mutual TLS set-up.
    public init(certificateChainPath: String, privateKeyPath: String, clientCAPath: String) {
        self.certificateChainPath = certificateChainPath
        self.privateKeyPath = privateKeyPath
        self.clientCAPath = clientCAPath
    }
}
