import ArgumentParser
import DriftDaemon
import Foundation
import Logging

/// `driftd demo`: the whole system on one machine, live.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Embedded broker + synthetic drifting traffic + the daemon + an alert reader, printed live.")

    @Option(name: .long, help: "Seconds to run.")
    var duration: Int = 75

    @Option(name: .long, help: "Inference events per second.")
    var rate: Int = 4_000

    @Option(name: .customLong("stage-events"), help: "Events per drift stage.")
    var stageEvents: Int = 40_000

    @Option(name: .long, help: "Working directory for the demo's baseline and state.")
    var directory: String = ".driftd-demo"

    @Option(name: .customLong("http-port"), help: "Status server port (0: any free port).")
    var httpPort: Int = 0

    func validate() throws {
        guard duration > 0 else { throw ValidationError("--duration must be positive") }
        guard (100...200_000).contains(rate) else { throw ValidationError("--rate must be 100...200000") }
        guard stageEvents >= 5_000 else { throw ValidationError("--stage-events must be at least 5000") }
    }

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .error
            return handler
        }
        var demo = DemoRunner(directory: directory, logger: Logger(label: "driftd.demo"))
        demo.durationSeconds = duration
        demo.eventsPerSecond = rate
        demo.stageEvents = stageEvents
        demo.httpPort = httpPort
        try await demo.run()
    }
}
