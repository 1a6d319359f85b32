/// The streams written for `river_baseline.py`: little-endian float64 files, one value per
/// event, the column exactly as driftd's monitor saw it (numeric value with NaN = missing, or
/// categorical bin index), and how River's detectors turn it into one number per event.
struct StreamManifest: Codable, Sendable {
    /// One change-point stream: the drifting feature's column.
    struct ScenarioStream: Codable, Sendable {
        /// Scenario identifier.
        var scenario: String
        /// Run number (0-based); the stream's seeds derive from it.
        var seed: Int
        /// File name, relative to the manifest.
        var file: String
        /// Events in the file.
        var events: Int
        /// Index of the first changed event.
        var changeIndex: Int
        /// River's view of the column.
        var input: RiverInput
    }

    /// One feature of the stationary stream.
    struct StationaryFeature: Codable, Sendable {
        /// Feature name.
        var feature: String
        /// File name, relative to the manifest.
        var file: String
        /// River's view of the column.
        var input: RiverInput
    }

    /// Change-point streams.
    var scenarioStreams: [ScenarioStream]
    /// Events in each stationary file.
    var stationaryEvents: Int
    /// Stationary stream, every feature.
    var stationary: [StationaryFeature]
}
