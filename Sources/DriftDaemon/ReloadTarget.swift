import DriftConfig

/// What `ConfigurationReloader` hands a reloaded configuration to: the single path
/// (`KafkaPipeline`) or the scale-out stages (`ScaleOutService`). Called from the signal task;
/// the receiver applies (or rejects, logged) the configuration on its own loop.
public protocol ReloadTarget: Sendable {
    /// Hands over a new, valid configuration.
    func requestReload(_ configuration: DaemonConfiguration)
}

extension KafkaPipeline: ReloadTarget {}
