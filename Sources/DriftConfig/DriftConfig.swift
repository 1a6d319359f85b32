// Module DriftConfig: see docs/architecture.md.
