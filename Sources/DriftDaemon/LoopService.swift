import ServiceLifecycle

/// A service whose work runs on threads of its own (`KafkaPipeline`, `ScaleOutService`):
/// `run()` starts it and asks it to stop on graceful shutdown or cancellation, then returns its
/// outcome (rethrowing fatal Kafka errors).
public protocol LoopService: Service {
    /// Starts the work and returns at once; `onExit` gets its outcome once it has ended.
    func start(onExit: @escaping @Sendable (Result<Void, any Error>) -> Void)
    /// Asks the work to finish its batch, checkpoint and return.
    func requestStop()
}

extension LoopService {
    /// Runs until graceful shutdown or cancellation; call this or `start(onExit:)`, once.
    public func run() async throws {
        try await withTaskCancellationHandler {
            try await withGracefulShutdownHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                    start { continuation.resume(with: $0) }
                }
            } onGracefulShutdown: {
                self.requestStop()
            }
        } onCancel: {
            self.requestStop()
        }
    }
}
