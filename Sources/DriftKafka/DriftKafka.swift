// Module DriftKafka: see docs/architecture.md.
