import Foundation

/// Paths of committed files used by the tests.
enum RepositoryPaths {
    /// The package root, found from this source file's location.
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// A file or directory under the package root.
    static func path(_ relative: String) -> String { root + "/" + relative }

    /// A fixture under Tests/DriftConfigTests/Fixtures, from the test bundle's resources.
    static func fixture(_ relative: String) throws -> String {
        guard let base = Bundle.module.resourceURL?.appendingPathComponent("Fixtures") else {
            throw CocoaError(.fileNoSuchFile)
        }
        let path = base.appendingPathComponent(relative).path
        guard FileManager.default.fileExists(atPath: path) else { throw CocoaError(.fileNoSuchFile) }
        return path
    }
}
