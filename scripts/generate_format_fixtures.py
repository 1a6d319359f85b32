#!/usr/bin/env python3
"""Writes the protobuf fixtures of the seldon-v2 input format tests.

Seldon Core 2 topics hold Open Inference Protocol v2 protobuf messages: `ModelInferRequest` on
`seldon.<namespace>.model.<name>.inputs`, `ModelInferResponse` on `.outputs`. This script
compiles protos/open_inference_grpc.proto with protoc's Python generator (Google's protobuf
runtime, independent of the swift-protobuf code driftd decodes with) and serializes the
Open Inference Protocol specification's example request and response (the consistent pair of
Tests/DriftDecodeTests/Fixtures/formats/oip-v2-request.json and oip-v2-response.json), once with
typed `contents` and once with `raw_input_contents` / `raw_output_contents` (little-endian).

Needs protoc (Debian protobuf-compiler) and `pip install protobuf`. Output:
Tests/DriftDecodeTests/Fixtures/formats/seldon-*.pb (committed).
"""
import importlib
import os
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "DriftDecodeTests", "Fixtures", "formats")


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        subprocess.run(["protoc", f"--proto_path={os.path.join(ROOT, 'protos')}", f"--python_out={work}",
                        "open_inference_grpc.proto"], check=True)
        sys.path.insert(0, work)
        pb = importlib.import_module("open_inference_grpc_pb2")

        request = pb.ModelInferRequest(id="42")
        t0 = request.inputs.add(name="input0", datatype="UINT32", shape=[2, 2])
        t0.contents.uint_contents.extend([1, 2, 3, 4])
        t1 = request.inputs.add(name="input1", datatype="BOOL", shape=[2])
        t1.contents.bool_contents.extend([True, False])
        request.outputs.add(name="output0")

        response = pb.ModelInferResponse(model_name="mymodel", model_version="1", id="42")
        o0 = response.outputs.add(name="output0", datatype="FP32", shape=[2, 2])
        o0.contents.fp32_contents.extend([1.0, 1.1, 2.0, 2.1])

        raw_request = pb.ModelInferRequest(id="43")
        raw_request.inputs.add(name="input0", datatype="UINT32", shape=[2, 2])
        raw_request.inputs.add(name="input1", datatype="BOOL", shape=[2])
        raw_request.raw_input_contents.append(struct.pack("<4I", 5, 6, 7, 8))
        raw_request.raw_input_contents.append(struct.pack("<2?", False, True))

        raw_response = pb.ModelInferResponse(model_name="mymodel", id="43")
        raw_response.outputs.add(name="output0", datatype="FP32", shape=[2, 2])
        raw_response.raw_output_contents.append(struct.pack("<4f", 0.25, 9.0, 0.75, 9.0))

        fixtures = {
            "seldon-request.pb": request, "seldon-response.pb": response,
            "seldon-request-raw.pb": raw_request, "seldon-response-raw.pb": raw_response,
        }
        for name, message in fixtures.items():
            with open(os.path.join(OUT, name), "wb") as f:
                f.write(message.SerializeToString())
        print(f"generate_format_fixtures: wrote {', '.join(sorted(fixtures))} to {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    main()
