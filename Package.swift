// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "madoguchi",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "madoguchi", targets: ["madoguchi"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0", traits: ["YAML"]),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
    ],
    targets: [
        .target(name: "MadoguchiCore"),
        .target(
            name: "MadoguchiStorage",
            dependencies: [
                "MadoguchiCore",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .systemLibrary(name: "CQRencode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        .systemLibrary(name: "CXLSXWriter", pkgConfig: "xlsxwriter", providers: [.apt(["libxlsxwriter-dev"])]),
        .systemLibrary(name: "CCrackLib", providers: [.apt(["libcrack2-dev", "cracklib-runtime"])]),
        .systemLibrary(name: "CPangoCairo", pkgConfig: "pangocairo", providers: [.apt(["libpango1.0-dev", "libcairo2-dev"])]),
        .target(name: "MadoguchiDocuments", dependencies: ["MadoguchiCore", "CPangoCairo"], resources: [.copy("Forms")]),
        .target(
            name: "MadoguchiDevices",
            dependencies: [
                "MadoguchiCore", "CQRencode",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(
            name: "MadoguchiMessaging",
            dependencies: [
                "MadoguchiCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .target(
            name: "MadoguchiWeb",
            dependencies: [
                "MadoguchiCore", "MadoguchiDevices", "CXLSXWriter",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            resources: [.copy("Resources")]
        ),
        .target(
            name: "MadoguchiApp",
            dependencies: [
                "MadoguchiCore", "MadoguchiStorage", "MadoguchiWeb", "MadoguchiDevices", "MadoguchiMessaging", "MadoguchiDocuments", "CCrackLib",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(name: "madoguchi", dependencies: ["MadoguchiApp"]),
        .target(
            name: "MadoguchiTestSupport",
            dependencies: [
                "MadoguchiCore", "MadoguchiStorage", "MadoguchiApp", "MadoguchiDocuments",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Tests/MadoguchiTestSupport"
        ),
        .testTarget(name: "MadoguchiCoreTests", dependencies: ["MadoguchiCore", "MadoguchiTestSupport"]),
        .testTarget(
            name: "MadoguchiDevicesTests",
            dependencies: [
                "MadoguchiCore", "MadoguchiDevices",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "MadoguchiAppTests",
            dependencies: [
                "MadoguchiApp", "MadoguchiTestSupport",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(name: "MadoguchiMessagingTests", dependencies: ["MadoguchiCore", "MadoguchiMessaging"]),
        .testTarget(name: "MadoguchiDocumentsTests", dependencies: ["MadoguchiCore", "MadoguchiDocuments", "MadoguchiTestSupport"]),
        .testTarget(
            name: "MadoguchiStorageTests",
            dependencies: ["MadoguchiCore", "MadoguchiStorage", "MadoguchiApp", "MadoguchiTestSupport", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(
            name: "MadoguchiWebTests",
            dependencies: [
                "MadoguchiCore", "MadoguchiStorage", "MadoguchiWeb", "MadoguchiApp", "MadoguchiTestSupport", "MadoguchiDevices",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
