// swift-tools-version:6.2
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]
// The installed binaries, in a release build: linked by lld with relative relocations packed
// (DT_RELR), which the loader reads at every start (pillboxd without --static-swift-stdlib:
// 12.8 KB instead of 1.1 MB), and exporting no symbol the shared libraries do not need (the
// static pillboxd: 642 dynamic symbols instead of 42,582, searched on every symbol look-up).
// docs/performance.md, "the appliance build".
let applianceLink: [LinkerSetting] = [
    .unsafeFlags(["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
                  "-Xlinker", "--no-export-dynamic"], .when(configuration: .release)),
]

let package = Package(
    name: "Pillbox",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "pillboxd", targets: ["pillboxd"]),
        .executable(name: "pillbox", targets: ["pillbox"]),
        .executable(name: "pillbox-central-sim", targets: ["pillbox-central-sim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-async-algorithms", from: "1.1.4"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // Domain values: no I/O.
        .target(name: "PillboxModel", swiftSettings: strict),
        // The local API's request and response types, shared by the daemon and the pillbox tool.
        .target(name: "PillboxWire", dependencies: ["PillboxModel", "PillboxChecks"], swiftSettings: strict),
        // Dispensing checks (early refill, duplicate therapy, same prescription elsewhere): pure values.
        .target(name: "PillboxChecks", dependencies: ["PillboxModel"], swiftSettings: strict),
        // OpenSSL libcrypto, wrapped by PillboxCrypto.
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // Tiny C helpers for what Swift cannot import (struct ucred).
        .target(name: "CPillboxSys"),
        .target(name: "PillboxCrypto", dependencies: ["COpenSSL"], swiftSettings: strict),
        .target(
            name: "PillboxStore",
            dependencies: [
                "PillboxModel", "PillboxCrypto", "CPillboxSys",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .target(
            name: "PillboxAPI",
            dependencies: [
                "PillboxModel", "PillboxStore", "CPillboxSys", "PillboxWire", "PillboxChecks", "PillboxFHIR", "PillboxCrypto",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ],
            swiftSettings: strict),
        .target(
            name: "PillboxDaemon",
            dependencies: [
                "PillboxModel", "PillboxStore", "PillboxCrypto", "PillboxAPI", "PillboxUpload", "PillboxChecks",
                "CPillboxSys",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict),
        // HL7 FHIR R4 mapping of dispenses: pure values, no I/O.
        .target(name: "PillboxFHIR", dependencies: ["PillboxModel", "PillboxCrypto"], swiftSettings: strict),
        // Upload to the central record: policy state machine, outbox draining, central client.
        .target(
            name: "PillboxUpload",
            dependencies: [
                "PillboxModel", "PillboxFHIR", "PillboxStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict),
        // The central record simulator: a small FHIR server with fault modes.
        .target(
            name: "PillboxCentralSimulator",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "pillbox-central-sim",
            dependencies: [
                "PillboxCentralSimulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        // Benchmarks that print figures (not run by the tests): `swift run -c release pillbox-bench --help`.
        .executableTarget(
            name: "pillbox-bench",
            dependencies: [
                "PillboxUpload", "PillboxStore", "PillboxFHIR", "PillboxModel", "PillboxCentralSimulator", "PillboxCrypto",
                "PillboxClient", "PillboxTestSupport", "PillboxWire",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            path: "Benchmarks/pillbox-bench",
            swiftSettings: strict),
        // Reliability drills that break the real daemon and check what must hold; each ends with
        // `N passed, N failed`. `Benchmarks/drills/run-all.sh` runs them all (CI runs the short form).
        .executableTarget(
            name: "pillbox-drill",
            dependencies: [
                "PillboxTestSupport", "PillboxClient", "PillboxStore", "PillboxCrypto",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/pillbox-drill",
            swiftSettings: strict),
        // HTTP client for the local socket, shared by the pillbox tool and the tests.
        .target(
            name: "PillboxClient",
            dependencies: [
                "PillboxWire", "PillboxModel",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "pillboxd",
            dependencies: [
                "PillboxDaemon",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict,
            linkerSettings: applianceLink),
        // The tool's console: its language (fr/en), human sizes and ages, tables, colour, progress.
        .target(name: "PillboxConsole", dependencies: ["PillboxModel", "PillboxWire"], swiftSettings: strict),
        .executableTarget(
            name: "pillbox",
            dependencies: [
                "PillboxClient", "PillboxWire", "PillboxModel", "PillboxConsole", "PillboxDaemon", "PillboxUpload", "COpenSSL",
                // offline verify, restore and rewrap: the store read-only, the master key.
                "PillboxStore", "PillboxCrypto",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict,
            linkerSettings: applianceLink),

        .target(
            name: "PillboxTestSupport",
            dependencies: [
                "PillboxClient", "PillboxCrypto", "PillboxModel",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            path: "Tests/PillboxTestSupport",
            swiftSettings: strict),
        .testTarget(name: "PillboxConsoleTests", dependencies: ["PillboxConsole", "PillboxModel", "PillboxWire"], swiftSettings: strict),
        .testTarget(name: "PillboxModelTests", dependencies: ["PillboxModel", "PillboxTestSupport"], swiftSettings: strict),
        .testTarget(name: "PillboxChecksTests", dependencies: ["PillboxChecks", "PillboxModel"], swiftSettings: strict),
        .testTarget(name: "PillboxFHIRTests", dependencies: ["PillboxFHIR", "PillboxModel"], swiftSettings: strict),
        .testTarget(
            name: "PillboxCentralSimulatorTests",
            dependencies: [
                "PillboxCentralSimulator", "PillboxTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "PillboxUploadTests",
            dependencies: [
                "PillboxUpload", "PillboxFHIR", "PillboxStore", "PillboxModel", "PillboxCrypto", "PillboxCentralSimulator",
                "PillboxTestSupport", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "PillboxDaemonTests",
            dependencies: [
                "PillboxDaemon", "PillboxChecks", "PillboxModel", "PillboxTestSupport", .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdCore", package: "hummingbird"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict),
        .testTarget(name: "PillboxCryptoTests", dependencies: ["PillboxCrypto"], swiftSettings: strict),
        .testTarget(
            name: "PillboxStoreTests",
            dependencies: [
                "PillboxStore", "PillboxModel", "PillboxCrypto", "PillboxTestSupport", "CPillboxSys",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "PillboxAPITests",
            dependencies: [
                "PillboxAPI", "PillboxChecks", "PillboxStore", "PillboxModel", "PillboxCrypto", "PillboxWire", "PillboxTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "PillboxEndToEndTests",
            dependencies: ["PillboxTestSupport", "PillboxClient", "PillboxCrypto", "PillboxWire", "PillboxModel", "PillboxChecks",
                           // Tampering with a stopped daemon's database (VerifyToolTests).
                           .product(name: "GRDB", package: "GRDB.swift"),
                           // Audit entries of an earlier year, seeded before the daemon starts (AuditArchiveEndToEndTests).
                           "PillboxStore", .product(name: "Logging", package: "swift-log"),
                           // The errors a closed connection raises (LocalClientRetryTests).
                           .product(name: "AsyncHTTPClient", package: "async-http-client"), .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strict),
    ]
)
