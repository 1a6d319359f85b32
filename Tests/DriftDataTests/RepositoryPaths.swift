import Foundation

/// Paths of committed files used by the tests.
enum RepositoryPaths {
    /// A fixture under Tests/DriftDataTests/Fixtures, from the test bundle's resources.
    static func fixture(_ relative: String) throws -> String {
        guard let base = Bundle.module.resourceURL?.appendingPathComponent("Fixtures") else {
            throw CocoaError(.fileNoSuchFile)
        }
        let path = base.appendingPathComponent(relative).path
        guard FileManager.default.fileExists(atPath: path) else { throw CocoaError(.fileNoSuchFile) }
        return path
    }
}
