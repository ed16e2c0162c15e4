#!/usr/bin/env python3
"""The server a PyTorch user would otherwise write: FastAPI + uvicorn + eager PyTorch, serving one model
of an Ember repository on the same KServe v2 JSON endpoint, so one load generator drives both.

    /usr/bin/python3 bench/fastapi_peer.py --repo examples/models --model digits --port 8090 [--workers 2] [--threads 1]

It loads the model's weights (<model>/<latest version>/model.pt) into the Python class the exporter was
given (tools/train_digits.py's DigitsNet, tools/seed_models.py's Net for the bundled examples; --arch
picks one when the folder has another name) and answers POST /v2/models/<model>/infer with
{"inputs": [{"name", "shape", "datatype": "FP32", "data"}]}, naming the output as config.json does.

Set up as a competent user would on a small CPU machine: one uvicorn worker process per core (--workers,
default 2), each with one intra-op thread (--threads, default 1) so the workers do not fight over the
cores, and the forward pass under torch.inference_mode(). A tiny model's forward is shorter than a thread
pool round trip, so the handler runs it inline on the worker's event loop. Accepted sockets get TCP_NODELAY
(see no_delay).
"""
import argparse
import json
import os
import pathlib
import socket
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


def no_delay():
    """Turns Nagle off on every accepted connection. uvicorn writes a response's headers and body as two
    segments; with Nagle on, the body waits for the client's delayed ACK of the headers, adding ~40 ms to every
    request after the first on a keep-alive connection (measured here: 44-50 ms medians for a 0.7 ms forward),
    which would measure Linux's TCP timers instead of the server. Ember's Netty sockets have TCP_NODELAY set."""
    from uvicorn.protocols.http import h11_impl
    classes = [h11_impl.H11Protocol]
    try:
        from uvicorn.protocols.http import httptools_impl  # used instead of h11 when httptools is installed
        classes.append(httptools_impl.HttpToolsProtocol)
    except ImportError:
        pass
    for cls in classes:
        made = cls.connection_made

        def connection_made(self, transport, made=made):
            sock = transport.get_extra_info("socket")
            if sock is not None:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            made(self, transport)

        cls.connection_made = connection_made


def create_app():
    """uvicorn's app factory: every worker process builds its own app from the PEER_* environment."""
    no_delay()
    repo, model, arch = os.environ["PEER_REPO"], os.environ["PEER_MODEL"], os.environ["PEER_ARCH"]
    torch.set_num_threads(int(os.environ["PEER_THREADS"]))
    net, version, output = load(repo, model, arch)
    app = FastAPI()

    @app.post(f"/v2/models/{model}/infer")
    async def infer(request: Request):
        body = await request.json()
        try:
            inp = body["inputs"][0]
            x = torch.tensor(inp["data"], dtype=torch.float32).reshape(inp["shape"])
        except (KeyError, IndexError, TypeError, ValueError, RuntimeError) as e:
            raise HTTPException(status_code=400, detail=str(e))
        with torch.inference_mode():
            y = net(x)
        return {"model_name": model, "model_version": version, "id": body.get("id", ""),
                "outputs": [{"name": output, "shape": list(y.shape), "datatype": "FP32", "data": y.flatten().tolist()}]}

    @app.get("/v2/health/ready")
    async def ready():
        return {"ready": True}

    return app


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", default=str(HERE.parent / "examples" / "models"))
    ap.add_argument("--model", default="digits")
    ap.add_argument("--port", type=int, default=8090)
    ap.add_argument("--arch", choices=("digits", "lenet"), help="the Python class (default: the model's name)")
    ap.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    ap.add_argument("--threads", type=int, default=1, help="torch intra-op threads per worker")
    a = ap.parse_args()
    os.environ.update(PEER_REPO=str(pathlib.Path(a.repo).resolve()), PEER_MODEL=a.model, PEER_ARCH=a.arch or a.model, PEER_THREADS=str(a.threads))
    sys.path.insert(0, str(HERE))
    bind = uvicorn.Config.bind_socket

    def bind_socket(self):  # with workers, the parent binds; accepted sockets inherit TCP_NODELAY from it
        sock = bind(self)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    uvicorn.Config.bind_socket = bind_socket
    uvicorn.run("fastapi_peer:create_app", factory=True, host="127.0.0.1", port=a.port, workers=a.workers, log_level="warning")


if __name__ == "__main__":
    main()
