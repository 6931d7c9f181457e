// swift-tools-version: 6.0
import PackageDescription

// Release builds put each function in its own section, and the tutor's link places the
// functions that run in everyday use together (Sources/tutor/hot-functions.txt, made by
// hot-functions.sh beside it): the pages of code a session touches, and so its memory, shrink.
let packageFolder = String(#filePath.dropLast("Package.swift".count))
let ownCode: [SwiftSetting] = [
  .unsafeFlags(
    ["-Xfrontend", "-function-sections", "-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors"],
    .when(platforms: [.linux], configuration: .release))
]

let package = Package(
  name: "tutor",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "tutor", targets: ["tutor"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    .package(url: "https://github.com/pointfreeco/swift-snapshot-testing", from: "1.19.7"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
    .package(url: "https://github.com/JohnSundell/Plot", from: "0.14.0"),
    .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
  ],
  targets: [
    // ncursesw through the module map (`link "ncursesw"`); shim.h asks for the wide-character API itself.
    // No pkgConfig: its cflags (-D_DEFAULT_SOURCE -D_XOPEN_SOURCE=600) are refused with a warning on every build.
    .systemLibrary(
      name: "CNCurses",
      providers: [.apt(["libncursesw5-dev"])]
    ),
    // sqlite3_config, which Swift cannot call (variadic): SQLite's memory statistics off.
    .systemLibrary(name: "CSQLiteConfig"),
    // Pure: content model, parsers, validation, lesson and quiz engines, grading.
    // TutorCore composes YAML from the events of Yams' libyaml (its `CYaml` module).
    .target(name: "TutorCore", dependencies: ["Yams"], exclude: ["Classroom/PROTOCOL.md"], swiftSettings: ownCode),
    // The progress store on disk (SQLite through GRDB).
    .target(
      name: "TutorStore",
      dependencies: [
        "TutorCore", .product(name: "GRDB", package: "GRDB.swift"),
        // SQLite's own binding calls, for the million rows of a large import.
        .product(name: "GRDBSQLite", package: "GRDB.swift"), "CSQLiteConfig",
      ], swiftSettings: ownCode
    ),
    // A school's shared progress store on PostgreSQL (PostgresNIO).
    .target(
      name: "TutorSchoolStore",
      dependencies: [
        "TutorCore", "TutorStore", .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "Logging", package: "swift-log"),
      ], swiftSettings: ownCode
    ),
    // Grid, styles, keys, Unicode width, the Terminal protocol: no dependencies.
    .target(name: "TerminalUI", swiftSettings: ownCode),
    .target(name: "TerminalNcurses", dependencies: ["TerminalUI", "CNCurses"], swiftSettings: ownCode),
    .target(name: "TerminalTesting", dependencies: ["TerminalUI"]),
    // The classroom's network: a host and its students over TCP or a Unix socket (SwiftNIO).
    .target(
      name: "TutorClassroom",
      dependencies: [
        "TutorCore", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: ownCode
    ),
    // Screens (state, message, update, render) and the run loop.
    .target(name: "TutorApp", dependencies: ["TutorCore", "TerminalUI"], swiftSettings: ownCode),
    // The command tree and the live wiring.
    .target(
      name: "TutorCLI",
      dependencies: [
        "TutorCore", "TutorStore", "TutorSchoolStore", "TutorApp", "TerminalUI", "TerminalNcurses", "TutorClassroom",
        .product(name: "ArgumentParser", package: "swift-argument-parser"), .product(name: "CSV", package: "CSV.swift"),
        .product(name: "Plot", package: "Plot"),
      ],
      swiftSettings: ownCode
    ),
    // A release build links the Swift runtime and Foundation statically: loading them as shared
    // libraries took more of the start-up than the tutor's own work (README: Speed). main.swift
    // compiled against the static Foundation names the libraries it needs to the linker.
    .executableTarget(
      name: "tutor", dependencies: ["TutorCLI"],
      exclude: ["hot-functions.txt", "hot-functions.sh"],
      swiftSettings: [.unsafeFlags(["-static-executable"], .when(platforms: [.linux], configuration: .release))],
      linkerSettings: [
        .unsafeFlags(
          [
            "-static-executable", "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs", "-Xlinker",
            "--symbol-ordering-file=\(packageFolder)Sources/tutor/hot-functions.txt", "-Xlinker",
            "--no-warn-symbol-ordering", "-Xlinker", "-ltinfo",
          ], .when(platforms: [.linux], configuration: .release))
      ]
    ),
    .executableTarget(
      name: "tutor-bench",
      dependencies: [
        "TutorCore", "TutorStore", "TutorSchoolStore", "TutorApp", "TutorCLI", "TerminalUI", "TutorClassroom",
        "CNCurses",
        .product(name: "NIOPosix", package: "swift-nio"), .product(name: "Histogram", package: "hdrhistogram-swift"),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "GRDB", package: "GRDB.swift"),
      ]
    ),
    // Shared test fixtures: small in-memory courses and temporary folders.
    .target(
      name: "TutorTestSupport",
      dependencies: [
        "TutorCore", "TutorStore", "TutorSchoolStore", .product(name: "PostgresNIO", package: "postgres-nio"),
      ], path: "Tests/TutorTestSupport"),
    .testTarget(
      name: "TutorCoreTests",
      dependencies: [
        "TutorCore", "TutorTestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
      ], exclude: ["Fixtures"]),
    .testTarget(
      name: "TutorStoreTests",
      dependencies: [
        "TutorStore", "TutorCore", "TutorTestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
      ]
    ),
    .testTarget(
      name: "TutorSchoolStoreTests",
      dependencies: [
        "TutorSchoolStore", "TutorCore", "TutorTestSupport", .product(name: "PostgresNIO", package: "postgres-nio"),
      ]
    ),
    .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "TerminalTesting"]),
    .testTarget(name: "TerminalNcursesTests", dependencies: ["TerminalNcurses", "CNCurses"]),
    .testTarget(
      name: "TutorAppTests",
      dependencies: [
        "TutorApp", "TutorCore", "TerminalUI", "TerminalTesting", "TutorTestSupport",
        .product(name: "SnapshotTesting", package: "swift-snapshot-testing"),
      ],
      exclude: ["__Snapshots__"]
    ),
    .testTarget(
      name: "TutorCLITests",
      dependencies: [
        "TutorCLI", "TutorCore", "TutorStore", "TutorApp", "TerminalUI", "TerminalTesting", "TutorTestSupport",
        .product(name: "GRDB", package: "GRDB.swift"),
      ]
    ),
  ],
  swiftLanguageModes: [.v6]
)
