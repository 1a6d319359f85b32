#!/usr/bin/env bash
# Regenerates Sources/DriftDecode/Generated/open_inference_grpc.pb.swift from
# protos/open_inference_grpc.proto (the Open Inference Protocol v2 gRPC definition, from
# github.com/kserve/open-inference-protocol, specification/protocol/open_inference_grpc.proto)
# with protoc and protoc-gen-swift 1.39.0, the swift-protobuf release Package.swift depends on.
# The generated file is committed: the build does not run protoc (the swift-protobuf build
# plugin is too slow for CI). Run this after changing the .proto or the swift-protobuf version.
#
# protoc comes from Debian's protobuf-compiler (installed when missing, as root); protoc-gen-swift
# is built from swift-protobuf's tag 1.39.0 in a scratch directory (PROTOC_GEN_SWIFT may name an
# existing binary instead).
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=1.39.0
if ! command -v protoc >/dev/null; then
    apt-get install -y protobuf-compiler >/dev/null
fi
PLUGIN="${PROTOC_GEN_SWIFT:-}"
if [[ -z "$PLUGIN" ]]; then
    WORK="${TMPDIR:-/tmp}/driftd-protoc-gen-swift-$VERSION"
    if [[ ! -x "$WORK/.build/release/protoc-gen-swift" ]]; then
        rm -rf "$WORK"
        git clone --quiet --depth 1 --branch "$VERSION" https://github.com/apple/swift-protobuf "$WORK"
        (cd "$WORK" && swift build -c release --product protoc-gen-swift >/dev/null)
    fi
    PLUGIN="$WORK/.build/release/protoc-gen-swift"
fi
"$PLUGIN" --version | grep -q "$VERSION" || { echo "protoc-gen-swift is not $VERSION" >&2; exit 1; }
mkdir -p Sources/DriftDecode/Generated
protoc --plugin=protoc-gen-swift="$PLUGIN" --proto_path=protos \
    --swift_opt=Visibility=Internal --swift_opt=FileNaming=DropPath \
    --swift_out=Sources/DriftDecode/Generated open_inference_grpc.proto
echo "generated Sources/DriftDecode/Generated/open_inference_grpc.pb.swift with $("$PLUGIN" --version)"
