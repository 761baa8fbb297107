/// PEM files for the FHIR listener's mutual TLS.
package struct TLSFiles: Sendable, Equatable {
    /// The server's certificate chain, leaf first.
    package var certificateChainPath: String
    /// The server's private key.
    package var privateKeyPath: String
    /// The CA that signs client certificates; clients without a certificate it signed are refused.
    package var clientCAPath: String

    /// The three files of a mutual TLS set-up.
    package init(certificateChainPath: String, privateKeyPath: String, clientCAPath: String) {
        self.certificateChainPath = certificateChainPath
        self.privateKeyPath = privateKeyPath
        self.clientCAPath = clientCAPath
    }
}
