#!/usr/bin/env python3
"""The server a PyTorch user would otherwise write: FastAPI + uvicorn + eager PyTorch, serving one model
of an Ember repository on the same KServe v2 JSON endpoint, so one load generator drives both.

    /usr/bin/python3 bench/fastapi_peer.py --repo examples/models --model digits --port 8090 [--threads 2]

It loads the model's weights (<model>/<latest version>/model.pt) into the Python class the exporter was
given (tools/train_digits.py's DigitsNet, tools/seed_models.py's Net for the bundled examples; --arch
picks one when the folder has another name) and answers POST /v2/models/<model>/infer with
{"inputs": [{"name", "shape", "datatype": "FP32", "data"}]}, naming the output as config.json does.
"""
import argparse
import json
import pathlib
import sys

import torch
import uvicorn
from fastapi import FastAPI, HTTPException, Request

HERE = pathlib.Path(__file__).resolve().parent


def load(repo, name, arch):
    sys.path.insert(0, str(HERE.parent / "tools"))
    from seed_models import Net
    from train_digits import DigitsNet  # the bundled examples' architectures
    model_dir = pathlib.Path(repo) / name
    version = max(int(p.name) for p in model_dir.iterdir() if p.is_dir() and p.name.isdigit())
    net = {"digits": DigitsNet, "lenet": Net}[arch]()
    net.load_state_dict(torch.load(model_dir / str(version) / "model.pt", weights_only=True))
    output = json.loads((model_dir / "config.json").read_text())["output"][0]["name"]
    return net.eval(), str(version), output


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", default=str(HERE.parent / "examples" / "models"))
    ap.add_argument("--model", default="digits")
    ap.add_argument("--port", type=int, default=8090)
    ap.add_argument("--arch", choices=("digits", "lenet"), help="the Python class (default: the model's name)")
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    net, version, output = load(a.repo, a.model, a.arch or a.model)
    app = FastAPI()

    @app.post(f"/v2/models/{a.model}/infer")
    async def infer(request: Request):
        body = await request.json()
        try:
            inp = body["inputs"][0]
            x = torch.tensor(inp["data"], dtype=torch.float32).reshape(inp["shape"])
        except (KeyError, IndexError, TypeError, ValueError, RuntimeError) as e:
            raise HTTPException(status_code=400, detail=str(e))
        with torch.no_grad():
            y = net(x)
        return {"model_name": a.model, "model_version": version, "id": body.get("id", ""),
                "outputs": [{"name": output, "shape": list(y.shape), "datatype": "FP32", "data": y.flatten().tolist()}]}

    uvicorn.run(app, host="127.0.0.1", port=a.port, log_level="warning")


if __name__ == "__main__":
    main()
