import Foundation
import UnixSignals

/// SIGINT and SIGTERM, trapped from the moment the waiter is made.
///
/// Make it before telling anyone the process is ready (a script that reads `dev-broker`'s first
/// line may signal at once): a signal that arrives before `wait()` is then kept for it, instead
/// of ending the process with the default action.
struct SignalWaiter: Sendable {
    private let signals: UnixSignalsSequence

    /// Traps SIGINT and SIGTERM; returns once the handlers are registered.
    init() async {
        signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
    }

    /// Returns at the first SIGINT or SIGTERM since `init`.
    func waitForTermination() async {
        for await _ in signals { return }
    }
}
