import NIOSSL

extension TLSFiles {
    /// A server TLS configuration that requires a client certificate signed by the client CA.
    /// Throws a `CentralError` naming the file that cannot be read.
    func serverConfiguration() throws(CentralError) -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        let clientCA: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificateChainPath)
        } catch {
            throw CentralError(.tls, "cannot read the certificate chain \(certificateChainPath): \(error)")
        }
        do {
            key = try NIOSSLPrivateKey(file: privateKeyPath, format: .pem)
        } catch {
            throw CentralError(.tls, "cannot read the private key \(privateKeyPath): \(error)")
        }
        do {
            clientCA = try NIOSSLCertificate.fromPEMFile(clientCAPath)
        } catch {
            throw CentralError(.tls, "cannot read the client CA \(clientCAPath): \(error)")
        }
        guard !chain.isEmpty else { throw CentralError(.tls, "\(certificateChainPath) holds no certificate") }
        guard !clientCA.isEmpty else { throw CentralError(.tls, "\(clientCAPath) holds no certificate") }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        // Client certificates are required and must chain to the client CA; clients have no
        // host name to check.
        configuration.certificateVerification = .noHostnameVerification
        configuration.trustRoots = .certificates(clientCA)
        do {
            _ = try NIOSSLContext(configuration: configuration)
        } catch {
            throw CentralError(.tls, "the certificate chain, key and client CA do not form a usable TLS set-up: \(error)")
        }
        return configuration
    }
}
