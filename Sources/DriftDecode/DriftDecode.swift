// Module DriftDecode: see docs/architecture.md.
