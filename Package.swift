// swift-tools-version:6.0
import PackageDescription

// System libraries enter through `.systemLibrary` targets with pkg-config names; the Debian
// packages that provide them are installed by `scripts/setup.sh`.
let package = Package(
    name: "drods",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "drods", targets: ["drods"]),
        .executable(name: "drods-gateway", targets: ["drods-gateway"]),
        .executable(name: "drods-scheduler", targets: ["drods-scheduler"]),
        .executable(name: "drods-controller", targets: ["drods-controller"]),
        .executable(name: "drods-monitor", targets: ["drods-monitor"]),
        .executable(name: "drods-history", targets: ["drods-history"]),
    ],
    targets: [
        // MARK: - C shims

        .systemLibrary(name: "CLibPQ", path: "Shared/CLibPQ", pkgConfig: "libpq",
                       providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CRDKafka", path: "Shared/CRDKafka", pkgConfig: "rdkafka",
                       providers: [.apt(["librdkafka-dev"])]),
        .systemLibrary(name: "COpenSSL", path: "Shared/COpenSSL", pkgConfig: "openssl",
                       providers: [.apt(["libssl-dev"])]),
        .target(name: "CMicroHTTPD", path: "Shared/CMicroHTTPD",
                linkerSettings: [.linkedLibrary("microhttpd")]),

        // MARK: - Shared libraries

        .target(name: "DRODSCore", path: "Shared/DRODSCore"),
        .target(name: "DRODSEventStore", dependencies: ["DRODSCore", "CLibPQ"],
                path: "Shared/DRODSEventStore"),
        .target(name: "DRODSMessaging", dependencies: ["DRODSCore", "CRDKafka"],
                path: "Shared/DRODSMessaging"),
        .target(name: "DRODSHTTP", dependencies: ["DRODSCore", "CMicroHTTPD"],
                path: "Shared/DRODSHTTP"),
        .target(name: "DRODSAuth", dependencies: ["DRODSCore", "COpenSSL"],
                path: "Shared/DRODSAuth"),
        .target(name: "DRODSRuntime",
                dependencies: ["DRODSCore", "DRODSEventStore", "DRODSMessaging", "DRODSHTTP"],
                path: "Shared/DRODSRuntime"),

        // MARK: - Services

        .target(name: "DRODSGateway",
                dependencies: ["DRODSRuntime", "DRODSAuth", "DRODSHTTP", "DRODSMessaging"],
                path: "Services/Gateway/DRODSGateway"),
        .executableTarget(name: "drods-gateway", dependencies: ["DRODSGateway"],
                          path: "Services/Gateway/drods-gateway"),
        .target(name: "DRODSScheduler", dependencies: ["DRODSRuntime"],
                path: "Services/Scheduler/DRODSScheduler"),
        .executableTarget(name: "drods-scheduler", dependencies: ["DRODSScheduler"],
                          path: "Services/Scheduler/drods-scheduler"),
        .target(name: "DRODSController", dependencies: ["DRODSRuntime"],
                path: "Services/Controller/DRODSController"),
        .executableTarget(name: "drods-controller", dependencies: ["DRODSController"],
                          path: "Services/Controller/drods-controller"),
        .target(name: "DRODSMonitor", dependencies: ["DRODSRuntime"],
                path: "Services/Monitor/DRODSMonitor"),
        .executableTarget(name: "drods-monitor", dependencies: ["DRODSMonitor"],
                          path: "Services/Monitor/drods-monitor"),
        .target(name: "DRODSHistory", dependencies: ["DRODSRuntime"],
                path: "Services/History/DRODSHistory"),
        .executableTarget(name: "drods-history", dependencies: ["DRODSHistory"],
                          path: "Services/History/drods-history"),
        .target(name: "DRODSCLI",
                dependencies: ["DRODSRuntime", "DRODSAuth", "DRODSEventStore", "DRODSMessaging",
                               "DRODSHTTP", "DRODSHistory"],
                path: "Services/CLI/DRODSCLI"),
        .executableTarget(name: "drods", dependencies: ["DRODSCLI"], path: "Services/CLI/drods"),

        // MARK: - Tests

        .target(name: "DRODSTestSupport",
                dependencies: ["DRODSCore", "DRODSEventStore", "DRODSMessaging", "DRODSHTTP", "DRODSCLI"],
                path: "Tests/DRODSTestSupport"),
        .testTarget(name: "DRODSEventStoreTests",
                    dependencies: ["DRODSEventStore", "DRODSTestSupport"],
                    path: "Tests/DRODSEventStoreTests"),
        .testTarget(name: "DRODSMessagingTests",
                    dependencies: ["DRODSMessaging"],
                    path: "Tests/DRODSMessagingTests"),
        .testTarget(name: "DRODSHTTPTests",
                    dependencies: ["DRODSHTTP", "DRODSAuth", "DRODSCore"],
                    path: "Tests/DRODSHTTPTests"),
        .testTarget(name: "DRODSServiceTests",
                    dependencies: ["DRODSHistory", "DRODSGateway", "DRODSScheduler", "DRODSController",
                                   "DRODSMonitor", "DRODSCLI", "DRODSTestSupport",
                                   "drods", "drods-gateway", "drods-scheduler", "drods-controller",
                                   "drods-monitor", "drods-history"],
                    path: "Tests/DRODSServiceTests"),
    ]
)
