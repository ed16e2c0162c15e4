#!/usr/bin/env python3
"""Export a PyTorch nn.Module for Ember: writes a model repository entry in Triton's layout,

    <out_dir>/<name>/config.json        serving config (name, max_batch_size, inputs/outputs, Triton datatypes)
    <out_dir>/<name>/model.json         architecture: module tree + forward graph (docs/model-format.md)
    <out_dir>/<name>/<version>/model.pt torch.save(model.state_dict())  (or model.safetensors)

every file written atomically (temporary file in the same folder, fsync, rename).

As a library:   from export_model import export; export(model, (torch.randn(1, 1, 32, 32),), "models", "lenet")
As a command:   python3 tools/export_model.py mymodels:LeNet --input-shape 1,1,32,32 --out models --name lenet

Tracing: torch.export where it exists (torch >= 2.1), else torch.fx.symbolic_trace, else (fx fails, e.g. on
code that iterates over x.size()) make_fx over torch.func/stateless functional_call, an ATen-level graph whose
parameter inputs become get_attr nodes named by their state_dict keys. torch.export and make_fx bake sizes
into the graph, so the model is traced at three batch sizes and every constant that follows the batch size
(b, 2*b, b+1...) becomes an expression of the input's size; the exported model then serves any batch size.
Runs with torch 1.13 (Debian's python3-torch) and 2.x.
"""
import argparse
import builtins
import importlib
import inspect
import json
import math
import operator
import os
import struct
import sys
import tempfile

import torch
import torch.fx
import torch.nn as nn
import torch.nn.functional as F

FORMAT = "ember.model"
FORMAT_VERSION = 1
BATCHES = (2, 3, 5)  # trace sizes: distinct, coprime, and not 1 (which tracers may specialise)


class ExportError(Exception):
    """The model cannot be exported as it is; the message says why and what to do."""


# ----------------------------------------------------------------------------------------------- module tree

def _bias(m):
    return m.bias is not None


def _attrs(*names):
    return lambda m: {n: (_bias(m) if n == "bias" else getattr(m, n)) for n in names}


_CONV = ("in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups", "bias", "padding_mode")
_BN = ("num_features", "eps", "momentum", "affine", "track_running_stats")
_RNN = ("input_size", "hidden_size", "num_layers", "bias", "batch_first", "dropout", "bidirectional")

# torch.nn layers Ember builds from their constructor arguments (the Java side's ModuleTypes); anything else
# becomes a generic module whose forward is traced through.
LEAVES = {
    nn.Linear: _attrs("in_features", "out_features", "bias"),
    nn.Bilinear: _attrs("in1_features", "in2_features", "out_features", "bias"),
    nn.Conv1d: _attrs(*_CONV),
    nn.Conv2d: _attrs(*_CONV),
    nn.ConvTranspose2d: _attrs("in_channels", "out_channels", "kernel_size", "stride", "padding", "output_padding", "groups", "bias", "dilation",
                               "padding_mode"),
    nn.BatchNorm1d: _attrs(*_BN),
    nn.BatchNorm2d: _attrs(*_BN),
    nn.LayerNorm: lambda m: {"normalized_shape": m.normalized_shape, "eps": m.eps, "elementwise_affine": m.elementwise_affine,
                             **({"bias": False} if m.elementwise_affine and getattr(m, "bias", True) is None else {})},
    nn.GroupNorm: _attrs("num_groups", "num_channels", "eps", "affine"),
    nn.Embedding: _attrs("num_embeddings", "embedding_dim", "padding_idx", "max_norm", "norm_type", "scale_grad_by_freq", "sparse"),
    nn.Dropout: _attrs("p", "inplace"),
    nn.ReLU: _attrs("inplace"),
    nn.ReLU6: _attrs("inplace"),
    nn.SiLU: _attrs("inplace"),
    nn.LeakyReLU: _attrs("negative_slope", "inplace"),
    nn.ELU: _attrs("alpha", "inplace"),
    nn.Hardtanh: _attrs("min_val", "max_val", "inplace"),
    nn.GELU: lambda m: {"approximate": getattr(m, "approximate", "none")},
    nn.Sigmoid: _attrs(),
    nn.Tanh: _attrs(),
    nn.Identity: _attrs(),
    nn.Softmax: _attrs("dim"),
    nn.LogSoftmax: _attrs("dim"),
    nn.Softplus: _attrs("beta", "threshold"),
    nn.Flatten: _attrs("start_dim", "end_dim"),
    nn.Unflatten: _attrs("dim", "unflattened_size"),
    nn.MaxPool1d: _attrs("kernel_size", "stride", "padding", "dilation", "return_indices", "ceil_mode"),
    nn.MaxPool2d: _attrs("kernel_size", "stride", "padding", "dilation", "return_indices", "ceil_mode"),
    nn.AvgPool1d: _attrs("kernel_size", "stride", "padding", "ceil_mode", "count_include_pad"),
    nn.AvgPool2d: _attrs("kernel_size", "stride", "padding", "ceil_mode", "count_include_pad", "divisor_override"),
    nn.AdaptiveAvgPool2d: _attrs("output_size"),
    nn.AdaptiveMaxPool2d: _attrs("output_size", "return_indices"),
    nn.RNN: _attrs("input_size", "hidden_size", "num_layers", "nonlinearity", "bias", "batch_first", "dropout", "bidirectional"),
    nn.LSTM: _attrs(*_RNN, "proj_size"),
    nn.GRU: _attrs(*_RNN),
}
CONTAINERS = (nn.Sequential, nn.ModuleList, nn.ModuleDict)
PARAM_CONTAINERS = (nn.ParameterList, nn.ParameterDict)


def _dtype_name(dtype):
    return str(dtype).replace("torch.", "")


def _plain(v, where):
    """A constructor argument as JSON: tuples become lists, non-finite floats tagged."""
    if v is None or isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, float):
        return v if math.isfinite(v) else {"float": "nan" if v != v else ("inf" if v > 0 else "-inf")}
    if isinstance(v, (tuple, list, torch.Size)):
        return [_plain(e, where) for e in v]
    raise ExportError(f"{where}: cannot write {type(v).__name__} {v!r} to model.json")


def _tensor_decl(t, where, data=False, **flags):
    d = {"shape": list(t.shape), "dtype": _dtype_name(t.dtype), **flags}
    if data:
        d["data"] = [_plain(v, where) for v in t.detach().reshape(-1).tolist()]
    return d


def module_json(m, path="modules"):
    t = type(m)
    if t in LEAVES:
        return {"type": "torch.nn." + t.__name__, "args": {k: _plain(v, f"{path}.args.{k}") for k, v in LEAVES[t](m).items()}}
    kids = {k: module_json(c, f"{path}.children.{k}") for k, c in m._modules.items() if c is not None}
    if t in CONTAINERS:
        return {"type": "torch.nn." + t.__name__, "children": kids}
    params = {k: _tensor_decl(p, f"{path}.parameters.{k}", requires_grad=p.requires_grad) for k, p in m._parameters.items() if p is not None}
    if t in PARAM_CONTAINERS:
        return {"type": "torch.nn." + t.__name__, "parameters": params}
    non_persistent = getattr(m, "_non_persistent_buffers_set", set())
    buffers = {}
    for k, b in m._buffers.items():
        if b is None:
            continue
        keep = k not in non_persistent
        buffers[k] = _tensor_decl(b, f"{path}.buffers.{k}", data=not keep, **({} if keep else {"persistent": False}))
    out = {"type": "torch.nn.Module", "class": f"{t.__module__}.{t.__qualname__}"}
    if kids:
        out["children"] = kids
    if params:
        out["parameters"] = params
    if buffers:
        out["buffers"] = buffers
    return out


def needs_no_graph(m):
    """A plain Sequential of layers Ember builds (or a single such layer): its forward is the chain itself."""
    if type(m) is nn.Sequential:
        return all(needs_no_graph(c) for c in m._modules.values() if c is not None)
    return type(m) in LEAVES


# ----------------------------------------------------------------------------------------------- graph

def target_name(fn):
    """PyTorch's own name for a call_function target: torch.nn.functional.relu, torch.flatten, operator.add, aten.addmm.default."""
    if isinstance(fn, torch._ops.OpOverload):
        return str(fn)
    if isinstance(fn, torch._ops.OpOverloadPacket):
        return str(fn) + ".default"
    name = getattr(fn, "__name__", None)
    if name:
        for prefix, mod in (("torch.nn.functional.", F), ("torch.", torch), ("operator.", operator), ("builtins.", builtins)):
            if getattr(mod, name, None) is fn:
                return prefix + name
    q = torch.fx.node._get_qualified_name(fn)
    return q.replace("_operator.", "operator.", 1) if q.startswith("_operator.") else q


_CONSTS = {Ellipsis: "Ellipsis", torch.contiguous_format: "torch.contiguous_format", torch.preserve_format: "torch.preserve_format",
           torch.channels_last: "torch.channels_last", torch.strided: "torch.strided"}


def encode(v, where):
    """A node argument as model.json writes it (docs/model-format.md, "Values")."""
    if isinstance(v, torch.fx.Node):
        return {"node": v.name}
    if isinstance(v, float):
        return _plain(v, where)
    if v is None or isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, (tuple, list, torch.Size)):
        return [encode(e, where) for e in v]
    if isinstance(v, dict):
        return {"dict": {str(k): encode(e, where) for k, e in v.items()}}
    if isinstance(v, slice):
        return {"slice": [encode(v.start, where), encode(v.stop, where), encode(v.step, where)]}
    if isinstance(v, torch.dtype):
        return {"dtype": _dtype_name(v)}
    if isinstance(v, torch.device):
        return {"device": str(v)}
    try:
        if v in _CONSTS:
            return {"const": _CONSTS[v]}
    except TypeError:
        pass
    raise ExportError(f"{where}: cannot write an argument of type {type(v).__name__} ({v!r}) to model.json")


class _LeafTracer(torch.fx.Tracer):
    """fx keeps the layers Ember builds as call_module and traces through everything else (user code, other torch.nn modules)."""

    def is_leaf_module(self, m, qualname):
        return type(m) in LEAVES


def _fx_trace(model, input_names):
    sig = inspect.signature(model.forward)
    concrete = {p.name: p.default for p in list(sig.parameters.values())[len(input_names):] if p.default is not inspect.Parameter.empty}
    graph = _LeafTracer().trace(model, concrete_args=concrete or None)
    return torch.fx.GraphModule(model, graph)


def _fx_nodes(gm, model, input_names, constants):
    nodes, placeholder = [], 0
    for n in gm.graph.nodes:
        where = f"graph node {n.name}"
        if n.op == "placeholder":
            if placeholder >= len(input_names):
                raise ExportError(f"forward takes more inputs than the {len(input_names)} example inputs given (placeholder {n.target})")
            nodes.append({"name": n.name, "op": "placeholder", "target": input_names[placeholder]})
            placeholder += 1
            continue
        node = {"name": n.name, "op": n.op}
        if n.op == "get_attr":
            _attr_or_constant(model, gm, n.target, constants)
            node["target"] = n.target
        elif n.op == "call_function":
            node["target"] = target_name(n.target)
        elif n.op in ("call_module", "call_method"):
            node["target"] = n.target
        if n.args:
            node["args"] = [encode(a, where) for a in n.args]
        if n.kwargs:
            node["kwargs"] = {k: encode(a, where) for k, a in n.kwargs.items()}
        nodes.append(node)
    return nodes


def _attr_or_constant(model, gm, target, constants):
    """A get_attr target is a parameter/buffer of the model, or a tensor the trace captured, which model.json carries inline."""
    names = dict(model.named_parameters())
    names.update(dict(model.named_buffers()))
    if target in names:
        return
    obj = gm
    for part in target.split("."):
        obj = getattr(obj, part)
    if not isinstance(obj, torch.Tensor):
        raise ExportError(f"get_attr {target} is a {type(obj).__name__}, not a tensor")
    constants[target] = _tensor_decl(obj, f"constants.{target}", data=True)


def _functional_call():
    try:
        from torch.func import functional_call
    except ImportError:
        from torch.nn.utils.stateless import functional_call
    return functional_call


def _make_fx_nodes(model, inputs, input_names, constants):
    """An ATen graph of functional_call(model, params, inputs): parameter placeholders become get_attr of their state_dict keys."""
    from torch.fx.experimental.proxy_tensor import make_fx
    functional_call = _functional_call()
    state = dict(model.named_parameters())
    state.update(dict(model.named_buffers()))
    keys = list(state)

    def f(params, *xs):
        return functional_call(model, dict(zip(keys, params)), tuple(xs))

    gm = make_fx(f)(list(state.values()), *inputs)
    gm.graph.eliminate_dead_code()
    nodes, placeholder = [], 0
    for n in gm.graph.nodes:
        where = f"graph node {n.name}"
        if n.op == "placeholder":
            if placeholder < len(keys):
                nodes.append({"name": n.name, "op": "get_attr", "target": keys[placeholder]})
            else:
                nodes.append({"name": n.name, "op": "placeholder", "target": input_names[placeholder - len(keys)]})
            placeholder += 1
            continue
        if n.op == "output":
            nodes.append({"name": n.name, "op": "output", "args": [_flat_outputs(n.args[0], where)]})
            continue
        node = {"name": n.name, "op": n.op}
        if n.op == "get_attr":
            _attr_or_constant(model, gm, n.target, constants)
            node["target"] = n.target
        else:
            node["target"] = target_name(n.target) if n.op == "call_function" else n.target
        if n.args:
            node["args"] = [encode(a, where) for a in n.args]
        if n.kwargs:
            node["kwargs"] = {k: encode(a, where) for k, a in n.kwargs.items()}
        nodes.append(node)
    return nodes


def _flat_outputs(out, where):
    leaves = out if isinstance(out, (list, tuple)) else [out]
    return [encode(l, where) for l in leaves]


def _export_nodes(model, inputs, input_names, constants):
    """torch.export's ATen graph; its parameter, buffer and constant inputs become get_attr nodes."""
    ep = torch.export.export(model, tuple(inputs))
    by_name, user = {}, 0
    for spec in ep.graph_signature.input_specs:
        kind = spec.kind.name
        if kind in ("PARAMETER", "BUFFER"):
            by_name[spec.arg.name] = ("get_attr", spec.target)
        elif kind in ("CONSTANT_TENSOR",):
            constants[spec.target] = _tensor_decl(ep.constants[spec.target], f"constants.{spec.target}", data=True)
            by_name[spec.arg.name] = ("get_attr", spec.target)
        elif kind == "USER_INPUT":
            by_name[spec.arg.name] = ("placeholder", input_names[user])
            user += 1
        else:
            raise ExportError(f"torch.export input {spec.arg.name} of kind {kind} is not supported")
    nodes = []
    for n in ep.graph.nodes:
        where = f"graph node {n.name}"
        if n.op == "placeholder":
            op, target = by_name[n.name]
            nodes.append({"name": n.name, "op": op, "target": target})
            continue
        if n.op == "output":
            nodes.append({"name": n.name, "op": "output", "args": [_flat_outputs(n.args[0], where)]})
            continue
        node = {"name": n.name, "op": n.op, "target": target_name(n.target) if n.op == "call_function" else n.target}
        if n.op == "get_attr":
            _attr_or_constant(model, ep.graph_module, n.target, constants)
        if n.args:
            node["args"] = [encode(a, where) for a in n.args]
        if n.kwargs:
            node["kwargs"] = {k: encode(a, where) for k, a in n.kwargs.items()}
        nodes.append(node)
    return nodes


def _has_torch_export():
    major, minor = (int(p) for p in torch.__version__.split(".")[:2])
    return (major, minor) >= (2, 1) and hasattr(torch, "export") and hasattr(torch.export, "export")


# ----------------------------------------------------------------------------------------------- batch sizes

def _at_batch(x, b):
    """The example input resized to batch b by repeating its rows (so token ids and masks stay valid)."""
    reps = -(-b // x.shape[0])
    return torch.cat([x] * reps)[:b].clone()


def symbolize(traces, batches, batch_input, where="graph"):
    """Merges graphs traced at different batch sizes: ints that follow the batch size (k*b + c) become nodes computing
    it from the input's size; anything else that differs means the graph depends on the batch in a way Ember cannot
    express, which is refused."""
    base = traces[0]
    for t in traces[1:]:
        if len(t) != len(base) or any((a["name"], a["op"], a.get("target")) != (b["name"], b["op"], b.get("target")) for a, b in zip(base, t)):
            raise ExportError("the traced graph changes with the batch size (different ops at different batch sizes); export with dynamic_batch=False "
                              "(--static-batch) to serve one batch size")
    derived = {}  # (k, c) -> node name

    def size_node(k, c, path):
        if (k, c) in derived:
            return derived[(k, c)]
        name = "batch_size" if (k, c) == (1, 0) else f"batch_size_{k}_{c}".replace("-", "m")
        derived[(k, c)] = name
        return name

    def merge(values, path):
        v0 = values[0]
        if all(_same(v, v0) for v in values[1:]):
            return v0
        if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            k, r = divmod(values[1] - values[0], batches[1] - batches[0])
            c = values[0] - k * batches[0]
            if r == 0 and k != 0 and all(v == k * b + c for v, b in zip(values, batches)):
                return {"node": size_node(k, c, path)}
            raise ExportError(f"{path}: the constant {values} (at batch sizes {list(batches)}) does not follow the batch size as k*b + c; "
                              "export with dynamic_batch=False (--static-batch) to serve one batch size")
        if all(isinstance(v, list) for v in values) and len({len(v) for v in values}) == 1:
            return [merge([v[i] for v in values], f"{path}[{i}]") for i in range(len(v0))]
        if all(isinstance(v, dict) for v in values) and all(v.keys() == v0.keys() for v in values):
            return {k: merge([v[k] for v in values], f"{path}.{k}") for k in v0}
        raise ExportError(f"{path}: {values} changes with the batch size (at batch sizes {list(batches)}) in a way Ember cannot express; "
                          "export with dynamic_batch=False (--static-batch)")

    merged = [merge([t[i] for t in traces], f"{where} node {base[i]['name']}") for i in range(len(base))]
    if not derived:
        return merged
    out = []
    for node in merged:
        out.append(node)
        if node["op"] == "placeholder" and node["target"] == batch_input:
            src = {"node": node["name"]}
            out.append({"name": "batch_size", "op": "call_function", "target": "aten.sym_size.int", "args": [src, 0]})
            for (k, c), name in derived.items():
                if (k, c) == (1, 0):
                    continue
                expr = {"node": "batch_size"}
                if k != 1:
                    out.append({"name": name + "_mul", "op": "call_function", "target": "operator.mul", "args": [expr, k]})
                    expr = {"node": name + "_mul"}
                out.append({"name": name, "op": "call_function", "target": "operator.add", "args": [expr, c]})
    names = [n["name"] for n in out]
    if len(set(names)) != len(names):
        raise ExportError("a node of the traced graph is already named batch_size; rename it or export with dynamic_batch=False")
    return out


def _same(a, b):
    return type(a) is type(b) and (a == b or (isinstance(a, float) and a != a and b != b))


# ----------------------------------------------------------------------------------------------- writing

TRITON = {"float32": "TYPE_FP32", "float64": "TYPE_FP64", "float16": "TYPE_FP16", "bfloat16": "TYPE_BF16", "int64": "TYPE_INT64",
          "int32": "TYPE_INT32", "int16": "TYPE_INT16", "int8": "TYPE_INT8", "uint8": "TYPE_UINT8", "bool": "TYPE_BOOL"}
SAFETENSORS_DTYPES = {torch.float32: "F32", torch.float64: "F64", torch.float16: "F16", torch.bfloat16: "BF16", torch.int64: "I64",
                      torch.int32: "I32", torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8", torch.bool: "BOOL"}


def _atomic_write(path, write):
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix="." + os.path.basename(path) + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _write_json(path, obj):
    _atomic_write(path, lambda f: f.write((json.dumps(obj, indent=1, allow_nan=False) + "\n").encode("utf-8")))


def write_safetensors(f, state):
    """The safetensors layout (u64 header size, JSON header, raw little-endian data), without the safetensors package."""
    header, blobs, offset = {}, [], 0
    for k, t in state.items():
        t = t.detach().contiguous().cpu()
        if t.dtype not in SAFETENSORS_DTYPES:
            raise ExportError(f"{k}: dtype {t.dtype} has no safetensors code")
        data = t.view(torch.uint8).numpy().tobytes() if t.numel() else b""
        if t.dtype == torch.bool:
            data = t.to(torch.uint8).numpy().tobytes()
        header[k] = {"dtype": SAFETENSORS_DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    f.write(struct.pack("<Q", len(text)))
    f.write(text)
    for b in blobs:
        f.write(b)


# ----------------------------------------------------------------------------------------------- export

def export(model, example_inputs, out_dir, name, version=1, weights_format="pt", config=None, dynamic_batch=True, tracer="auto",
           input_names=None, output_names=None):
    """Exports `model` (an nn.Module) for Ember and returns the model.json dict.

    example_inputs: a tensor or a tuple of tensors forward takes (dim 0 is the batch when dynamic_batch).
    weights_format: "pt" (torch.save(state_dict)) or "safetensors".
    config: entries merged into config.json (e.g. {"max_batch_size": 32, "dynamic_batching": {"max_queue_delay_microseconds": 500}}).
    tracer: "auto" (torch.export, else fx, else make_fx), "export", "fx" or "make_fx".
    """
    if weights_format not in ("pt", "safetensors"):
        raise ExportError(f"weights_format must be 'pt' or 'safetensors', not {weights_format!r}")
    if isinstance(example_inputs, torch.Tensor):
        example_inputs = (example_inputs,)
    inputs = tuple(example_inputs)
    if not inputs or not all(isinstance(x, torch.Tensor) for x in inputs):
        raise ExportError("example_inputs must be a tensor or a non-empty tuple of tensors")
    model.eval()
    params = [p for p in inspect.signature(model.forward).parameters.values() if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    input_names = list(input_names or [p.name for p in params[:len(inputs)]])
    if len(input_names) != len(inputs):
        raise ExportError(f"forward names {len(input_names)} positional inputs but {len(inputs)} example inputs were given")
    if dynamic_batch and any(x.dim() == 0 for x in inputs):
        raise ExportError("a 0-dim input has no batch dim; export with dynamic_batch=False")

    batches = BATCHES if dynamic_batch else (None,)
    runs = []
    with torch.no_grad():
        for b in batches:
            xs = inputs if b is None else tuple(_at_batch(x, b) for x in inputs)
            try:
                runs.append((xs, model(*xs)))
            except Exception as e:
                if b is None:
                    raise
                raise ExportError(f"the model fails on a batch of {b} ({type(e).__name__}: {e}), so it cannot serve any batch size; "
                                  "export with dynamic_batch=False (--static-batch) to serve the example's shapes") from e
    out0 = runs[0][1]
    if isinstance(out0, torch.Tensor):
        outs = [lambda o: o]
        names = ["output"]
    elif isinstance(out0, (tuple, list)) and all(isinstance(o, torch.Tensor) for o in out0):
        outs = [(lambda o, i=i: o[i]) for i in range(len(out0))]
        names = [f"output_{i}" for i in range(len(out0))]
    elif isinstance(out0, dict) and all(isinstance(o, torch.Tensor) for o in out0.values()):
        outs = [(lambda o, k=k: o[k]) for k in out0]
        names = [str(k) for k in out0]
    else:
        raise ExportError(f"forward returns {type(out0).__name__}; Ember serves a tensor, a tuple of tensors or a dict of tensors")
    names = list(output_names or names)
    if dynamic_batch:
        for (xs, out), b in zip(runs, batches):
            for get, n in zip(outs, names):
                if get(out).dim() == 0 or get(out).shape[0] != b:
                    raise ExportError(f"output {n} has shape {list(get(out).shape)} for an input batch of {b}: the model does not keep the batch dim, so it "
                                      "cannot serve any batch size; export with dynamic_batch=False (--static-batch)")

    def sig(ts, first_varies):
        shapes = [list(t.shape) for t in ts]
        dims = [(-1 if (first_varies and i == 0) or len({s[i] for s in shapes}) > 1 else d) for i, d in enumerate(shapes[0])]
        return {"dtype": _dtype_name(ts[0].dtype), "shape": dims}

    spec = {"format": FORMAT, "format_version": FORMAT_VERSION,
            "producer": {"exporter": "tools/export_model.py", "torch": torch.__version__, "class": f"{type(model).__module__}.{type(model).__qualname__}"},
            "inputs": [{"name": n, **sig([r[0][i] for r in runs], dynamic_batch)} for i, n in enumerate(input_names)],
            "outputs": [{"name": n, **sig([get(r[1]) for r in runs], dynamic_batch)} for get, n in zip(outs, names)],
            "modules": module_json(model)}

    constants = {}
    if needs_no_graph(model) and len(inputs) == 1 and len(names) == 1:
        spec["producer"]["tracer"] = "none"
    else:
        nodes, used = _trace(model, runs, input_names, names, out0, constants, tracer, batches)
        spec["producer"]["tracer"] = used
        spec["graph"] = {"nodes": nodes}
        if constants:
            spec["constants"] = constants

    cfg = {"name": name, "max_batch_size": 64 if dynamic_batch else 0,
           "input": [{"name": i["name"], "data_type": TRITON[i["dtype"]], "dims": i["shape"][1:] if dynamic_batch else i["shape"]} for i in spec["inputs"]],
           "output": [{"name": o["name"], "data_type": TRITON[o["dtype"]], "dims": o["shape"][1:] if dynamic_batch else o["shape"]} for o in spec["outputs"]]}
    cfg.update(config or {})

    model_dir = os.path.join(out_dir, name)
    weights = os.path.join(model_dir, str(version), "model." + weights_format)
    state = model.state_dict()
    if weights_format == "pt":
        _atomic_write(weights, lambda f: torch.save(state, f))
    else:
        _atomic_write(weights, lambda f: write_safetensors(f, state))
    _write_json(os.path.join(model_dir, "model.json"), spec)
    _write_json(os.path.join(model_dir, "config.json"), cfg)
    return spec


def _trace(model, runs, input_names, output_names, out0, constants, tracer, batches):
    """The graph nodes and the tracer that made them."""
    errors = []
    order = {"auto": (["export"] if _has_torch_export() else []) + ["fx", "make_fx"], "export": ["export"], "fx": ["fx"], "make_fx": ["make_fx"]}[tracer]
    for t in order:
        try:
            if t == "fx":
                gm = _fx_trace(model, input_names)
                nodes = _fx_nodes(gm, model, input_names, constants)
            else:
                trace = _export_nodes if t == "export" else _make_fx_nodes
                traces = []
                for xs, _ in runs:
                    constants.clear()
                    traces.append(trace(model, xs, input_names, constants))
                nodes = traces[0] if len(traces) == 1 else symbolize(traces, batches, input_names[0])
            _shape_output(nodes, out0, output_names)
            return nodes, {"export": "torch.export", "fx": "torch.fx.symbolic_trace", "make_fx": "make_fx"}[t]
        except ExportError:
            raise
        except Exception as e:  # a tracer that cannot handle this model: try the next one
            errors.append(f"{t}: {type(e).__name__}: {e}")
    raise ExportError("no tracer could trace the model:\n  " + "\n  ".join(errors))


def _shape_output(nodes, out0, names):
    """The output node returns what forward returns: one value, a tuple, or a dict keyed by the output names."""
    out = nodes[-1]
    value = out["args"][0]
    if isinstance(out0, torch.Tensor):
        if isinstance(value, list):
            if len(value) != 1:
                raise ExportError(f"the trace returns {len(value)} values but forward returns one tensor")
            value = value[0]
    elif isinstance(out0, dict):
        if isinstance(value, dict) and "dict" in value:
            value = value["dict"]
        leaves = list(value.values()) if isinstance(value, dict) else value
        value = {"dict": dict(zip(names, leaves))}
    out["args"] = [value]


# ----------------------------------------------------------------------------------------------- command line

def _load_class(spec):
    mod, _, cls = spec.partition(":")
    if not cls:
        raise ExportError(f"expected module.path:ClassName, got {spec!r}")
    sys.path.insert(0, os.getcwd())
    obj = importlib.import_module(mod)
    for part in cls.split("."):
        obj = getattr(obj, part)
    return obj


def _load_weights(model, path):
    try:
        loaded = torch.load(path, map_location="cpu", weights_only=True)
    except TypeError:  # torch without weights_only
        loaded = torch.load(path, map_location="cpu")
    if isinstance(loaded, dict) and not all(isinstance(v, torch.Tensor) for v in loaded.values()):
        for k in ("model_state_dict", "state_dict", "model_state", "model"):
            if isinstance(loaded.get(k), dict):
                loaded = loaded[k]
                break
    model.load_state_dict(loaded)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Export a PyTorch model for Ember (model.json, config.json, weights).")
    ap.add_argument("model", help="module.path:ClassName, constructed without arguments")
    ap.add_argument("--input-shape", action="append", required=True, help="example input shape, batch first (1,1,32,32); repeat for more inputs")
    ap.add_argument("--input-dtype", action="append", help="dtype of each input (default float32; int64 for token ids)")
    ap.add_argument("--out", required=True, help="the model repository folder")
    ap.add_argument("--name", required=True, help="the model's name (its folder in the repository)")
    ap.add_argument("--version", type=int, default=1)
    ap.add_argument("--weights", help="a torch.save(state_dict) file (or checkpoint) to load first; else the model's own initial weights")
    ap.add_argument("--format", choices=("pt", "safetensors"), default="pt", help="weights file format")
    ap.add_argument("--max-batch-size", type=int, help="config.json max_batch_size (default 64)")
    ap.add_argument("--static-batch", action="store_true", help="serve exactly the example's shapes (max_batch_size 0)")
    ap.add_argument("--tracer", choices=("auto", "export", "fx", "make_fx"), default="auto")
    a = ap.parse_args(argv)
    try:
        model = _load_class(a.model)()
        if a.weights:
            _load_weights(model, a.weights)
        dtypes = a.input_dtype or []
        inputs = []
        for i, shape in enumerate(a.input_shape):
            dims = [int(d) for d in shape.split(",")]
            dtype = getattr(torch, dtypes[i]) if i < len(dtypes) else torch.float32
            inputs.append(torch.randn(dims).to(dtype) if dtype.is_floating_point else torch.zeros(dims, dtype=dtype))
        config = {"max_batch_size": a.max_batch_size} if a.max_batch_size and not a.static_batch else None
        spec = export(model, tuple(inputs), a.out, a.name, version=a.version, weights_format=a.format, config=config,
                      dynamic_batch=not a.static_batch, tracer=a.tracer)
    except ExportError as e:
        print(f"export_model: {e}", file=sys.stderr)
        return 2
    print(f"exported {a.name} ({spec['producer']['tracer']}) to {os.path.join(a.out, a.name)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
