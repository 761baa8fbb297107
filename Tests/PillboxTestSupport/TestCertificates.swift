import Foundation

/// Throwaway PKI made with the `openssl` command line: a server CA and server certificate
/// (SAN DNS:localhost, IP:127.0.0.1), a client CA and client certificate, and a rogue CA
/// with a client certificate the server must not accept.
package struct TestCertificates: Sendable {
    package let serverCA: String
    package let serverCertificate: String
    package let serverKey: String
    package let clientCA: String
    package let clientCertificate: String
    package let clientKey: String
    package let rogueCertificate: String
    package let rogueKey: String

    package static let openssl = "/usr/bin/openssl"

    package init(in directory: TemporaryDirectory) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.openssl) else {
            throw DaemonTestError(message: "\(Self.openssl) is missing: install the openssl package (.ci/run installs it)")
        }
        let file = directory.file
        try Self.makeCA(name: "server-ca", in: directory)
        try Self.makeCA(name: "client-ca", in: directory)
        try Self.makeCA(name: "rogue-ca", in: directory)
        try Self.makeLeaf(name: "server", ca: "server-ca", subject: "/CN=localhost",
                          extensions: "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
                          in: directory)
        try Self.makeLeaf(name: "client", ca: "client-ca", subject: "/CN=pillbox-uploader",
                          extensions: "extendedKeyUsage=clientAuth\n", in: directory)
        try Self.makeLeaf(name: "rogue", ca: "rogue-ca", subject: "/CN=rogue",
                          extensions: "extendedKeyUsage=clientAuth\n", in: directory)
        serverCA = file("server-ca.pem")
        serverCertificate = file("server.pem")
        serverKey = file("server.key")
        clientCA = file("client-ca.pem")
        clientCertificate = file("client.pem")
        clientKey = file("client.key")
        rogueCertificate = file("rogue.pem")
        rogueKey = file("rogue.key")
    }

    private static func makeCA(name: String, in directory: TemporaryDirectory) throws {
        try run(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                 "-keyout", directory.file("\(name).key"), "-out", directory.file("\(name).pem"), "-days", "2",
                 "-subj", "/CN=\(name)", "-addext", "basicConstraints=critical,CA:TRUE",
                 "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
    }

    private static func makeLeaf(name: String, ca: String, subject: String, extensions: String,
                                 in directory: TemporaryDirectory) throws {
        let file = directory.file
        try run(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                 "-keyout", file("\(name).key"), "-out", file("\(name).csr"), "-subj", subject])
        try Data(("basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\n" + extensions).utf8)
            .write(to: URL(fileURLWithPath: file("\(name).ext")))
        try run(["x509", "-req", "-in", file("\(name).csr"), "-CA", file("\(ca).pem"), "-CAkey", file("\(ca).key"),
                 "-CAcreateserial", "-out", file("\(name).pem"), "-days", "2", "-extfile", file("\(name).ext")])
    }

    private static func run(_ arguments: [String]) throws {
        let result = try Spawn.run(openssl, arguments)
        guard result.code == 0 else {
            throw DaemonTestError(message: "openssl \(arguments.first ?? "") failed: \(result.err)")
        }
    }
}
