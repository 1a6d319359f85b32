import Foundation

/// The date and machine a benchmark run happened on, for the summary's first line.
struct MachineDescription {
    var date: String
    var cpu: String
    var cores: Int
    var memoryGiB: Int
    var load: String

    static func current() -> MachineDescription {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model =
            cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" }
            ?? "unknown CPU"
        let load = ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "")
            .split(separator: " ").prefix(3).joined(separator: " ")
        return MachineDescription(
            date: formatter.string(from: Date()), cpu: model ?? "unknown CPU",
            cores: ProcessInfo.processInfo.activeProcessorCount,
            memoryGiB: Int((Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824).rounded()),
            load: load.isEmpty ? "n/a" : load)
    }

    var line: String {
        "driftd benchmarks, \(date), \(cores)-core \(cpu), \(memoryGiB) GiB, load average at the end \(load); medians over iterations"
    }
}
