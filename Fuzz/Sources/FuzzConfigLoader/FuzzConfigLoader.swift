import DriftConfig
import DriftKafka
import Foundation

/// libFuzzer target: configuration files, loaded the way `driftd validate` and `driftd run` load
/// them: the input's bytes are written to `driftd.yaml` in a scratch directory and read by
/// `ConfigurationLoader.load(file:checkProperty:)` with librdkafka's property check.
///
/// The scratch directory holds `baselines/churn.json`, a copy of config/baselines/churn.json
/// (`DRIFTD_FUZZ_BASELINE` overrides the source), so a seed such as config/driftd.yaml resolves
/// its baseline and the fuzzer reaches the per-model and per-feature validation behind it.
/// Any outcome is fine except a crash, a hang, or an error without a location: every
/// `ConfigurationError` must name the file it came from.
enum FuzzConfigLoader {
    /// The scratch directory's config path; created on the first input (libFuzzer calls the
    /// entry point from one thread).
    nonisolated(unsafe) static var configPath: String?

    static func prepare() -> String {
        let baseline =
            ProcessInfo.processInfo.environment["DRIFTD_FUZZ_BASELINE"]
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../config/baselines/churn.json").standardized.path
        // Memory-backed when the host has /dev/shm: a disk-backed /tmp made writing each input
        // the largest cost.
        let shm = URL(fileURLWithPath: "/dev/shm")
        let scratch =
            FileManager.default.isWritableFile(atPath: shm.path) ? shm : FileManager.default.temporaryDirectory
        let directory = scratch.appendingPathComponent(
            "driftd-fuzz-config-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            let baselines = directory.appendingPathComponent("baselines")
            try FileManager.default.createDirectory(at: baselines, withIntermediateDirectories: true)
            let copy = baselines.appendingPathComponent("churn.json")
            if !FileManager.default.fileExists(atPath: copy.path) {
                try FileManager.default.copyItem(atPath: baseline, toPath: copy.path)
            }
        } catch {
            fatalError("fuzz setup: cannot prepare \(directory.path) with \(baseline): \(error)")
        }
        atexit {
            if let path = FuzzConfigLoader.configPath {
                try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
            }
        }
        return directory.appendingPathComponent("driftd.yaml").path
    }

    static func run(_ bytes: UnsafeRawBufferPointer) {
        if configPath == nil { configPath = prepare() }
        let path = configPath!
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        } catch {
            fatalError("fuzz: cannot write \(path): \(error)")
        }
        do {
            _ = try ConfigurationLoader.load(file: path, checkProperty: KafkaPropertyCheck.problem(name:value:))
        } catch {
            for problem in error.errors where problem.file != path {
                fatalError("error without the file's name: \(problem)")
            }
        }
    }
}

/// libFuzzer's entry point.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfigLoader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzConfigLoader.run(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))
    return 0
}
