import NIOSSL

extension TLSFiles {
    /// A server TLS configuration that requires a client certificate signed by the client CA.
    /// Throws a `SimulatorError` naming the file that cannot be read.
    func serverConfiguration() throws(SimulatorError) -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        let clientCA: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificateChainPath)
        } catch {
            throw SimulatorError(.tls, "cannot read the certificate chain \(certificateChainPath): \(error)")
        }
        do {
            key = try NIOSSLPrivateKey(file: privateKeyPath, format: .pem)
        } catch {
            throw SimulatorError(.tls, "cannot read the private key \(privateKeyPath): \(error)")
        }
        do {
            clientCA = try NIOSSLCertificate.fromPEMFile(clientCAPath)
        } catch {
            throw SimulatorError(.tls, "cannot read the client CA \(clientCAPath): \(error)")
        }
        guard !chain.isEmpty else { throw SimulatorError(.tls, "\(certificateChainPath) holds no certificate") }
        guard !clientCA.isEmpty else { throw SimulatorError(.tls, "\(clientCAPath) holds no certificate") }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        // Client certificates are required and must chain to the client CA; clients have no
        // host name to check.
        configuration.certificateVerification = .noHostnameVerification
        configuration.trustRoots = .certificates(clientCA)
        do {
            _ = try NIOSSLContext(configuration: configuration)
        } catch {
            throw SimulatorError(.tls, "the certificate chain, key and client CA do not form a usable TLS set-up: \(error)")
        }
        return configuration
    }
}
