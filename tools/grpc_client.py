#!/usr/bin/env python3
"""A small gRPC client for Ember (or any Open Inference Protocol server): checks liveness, prints a model's
metadata, and sends one inference request taken from a REST request file, so the same sample goes over both
protocols. The input travels as raw_input_contents (little-endian bytes); outputs come back the same way.

    apt-get install python3-grpcio python3-grpc-tools      # or: pip install grpcio grpcio-tools
    /usr/bin/python3 tools/grpc_client.py --model digits --request examples/requests/digits.json [--target localhost:9000]

The Python stubs are generated from Ember's own protocol files (src/main/proto) into a temporary folder on
each run, with grpc_tools' protoc (and removed once imported), so nothing generated is checked in.
"""
import argparse
import importlib
import json
import pathlib
import struct
import sys
import tempfile

import grpc
from grpc_tools import protoc

HERE = pathlib.Path(__file__).resolve().parent
PROTO = HERE.parent / "src" / "main" / "proto"
FORMATS = {"BOOL": "?", "UINT8": "B", "INT8": "b", "INT16": "h", "INT32": "i", "INT64": "q", "FP32": "f", "FP64": "d"}


def stubs():
    with tempfile.TemporaryDirectory(prefix="ember-grpc-") as out:
        files = [str(p) for p in sorted(PROTO.glob("*.proto"))]
        if protoc.main(["protoc", f"-I{PROTO}", f"--python_out={out}", f"--grpc_python_out={out}", *files]) != 0:
            sys.exit(f"grpc_client: protoc failed on {files}")
        sys.path.insert(0, out)
        try:
            return importlib.import_module("grpc_service_pb2"), importlib.import_module("grpc_service_pb2_grpc")
        finally:
            sys.path.remove(out)


def flatten(data):
    if isinstance(data, list):
        for d in data:
            yield from flatten(d)
    else:
        yield data


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--target", default="localhost:9000")
    ap.add_argument("--model", required=True)
    ap.add_argument("--request", required=True, help="a KServe v2 REST request body (JSON) whose inputs carry data")
    a = ap.parse_args()
    pb, rpc = stubs()
    body = json.loads(pathlib.Path(a.request).read_text())

    with grpc.insecure_channel(a.target) as channel:
        stub = rpc.GRPCInferenceServiceStub(channel)
        print("live:", stub.ServerLive(pb.ServerLiveRequest()).live, " ready:", stub.ServerReady(pb.ServerReadyRequest()).ready)
        meta = stub.ModelMetadata(pb.ModelMetadataRequest(name=a.model))
        print(f"model {meta.name} versions {list(meta.versions)} platform {meta.platform}")
        for kind, tensors in (("input", meta.inputs), ("output", meta.outputs)):
            for t in tensors:
                print(f"  {kind} {t.name} {t.datatype} {list(t.shape)}")

        request = pb.ModelInferRequest(model_name=a.model, id=body.get("id", ""))
        for inp in body["inputs"]:
            values = list(flatten(inp["data"]))
            request.inputs.add(name=inp["name"], datatype=inp["datatype"], shape=inp["shape"])
            request.raw_input_contents.append(struct.pack(f"<{len(values)}{FORMATS[inp['datatype']]}", *values))
        response = stub.ModelInfer(request)
        print(f"response id {response.id!r} from {response.model_name} version {response.model_version}")
        for out, raw in zip(response.outputs, response.raw_output_contents):
            values = struct.unpack(f"<{len(raw) // struct.calcsize(FORMATS[out.datatype])}{FORMATS[out.datatype]}", raw)
            print(f"  {out.name} {out.datatype} {list(out.shape)}: [{', '.join(f'{v:.4f}' for v in values)}]")
            if len(out.shape) == 2 and out.shape[0] == 1:
                print(f"  argmax: {max(range(len(values)), key=values.__getitem__)}")


if __name__ == "__main__":
    main()
