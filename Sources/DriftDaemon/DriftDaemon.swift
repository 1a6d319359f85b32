// Module DriftDaemon: see docs/architecture.md.
