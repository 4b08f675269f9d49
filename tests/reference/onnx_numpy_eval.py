"""A minimal numpy (float64) evaluator for the ONNX graphs of tools/export_encoders.py's fixtures.

onnxruntime is not part of Debian's Python stack, so make_onnx_fixtures.py uses this to check, before any C# runs,
that each exported graph computes what PyTorch computed. It supports only the operators those graphs use (Conv,
BatchNormalization in inference mode, Relu, Add, MaxPool, GlobalAveragePool, Flatten, Constant) and fails loudly
on anything else. It is a test aid, not an ONNX runtime: no broadcasting beyond what Add needs, no auto_pad.
"""
import itertools

import numpy as np
import onnx
from onnx import numpy_helper


def _attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _pad_spatial(x, pads, value):
    n = (len(pads)) // 2
    width = [(0, 0), (0, 0)] + [(pads[i], pads[i + n]) for i in range(n)]
    return np.pad(x, width, mode="constant", constant_values=value)


def _windows(x, kernel, strides, dilations):
    """Yields (kernel offset, strided view of x for that offset) over the spatial dims; x is already padded."""
    spatial = x.shape[2:]
    out = [(s - d * (k - 1) - 1) // st + 1 for s, k, st, d in zip(spatial, kernel, strides, dilations)]
    for offs in itertools.product(*[range(k) for k in kernel]):
        idx = tuple(slice(o * d, o * d + (n - 1) * st + 1, st) for o, d, n, st in zip(offs, dilations, out, strides))
        yield offs, x[(slice(None), slice(None)) + idx]


def conv(x, w, b, a):
    k = list(w.shape[2:])
    nd = len(k)
    if a.get("group", 1) != 1 or a.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
        raise NotImplementedError("Conv with groups or auto_pad")
    strides, dil = a.get("strides", [1] * nd), a.get("dilations", [1] * nd)
    xp = _pad_spatial(x, a.get("pads", [0] * 2 * nd), 0.0)
    y = None
    for offs, view in _windows(xp, k, strides, dil):
        term = np.einsum("nc...,oc->no...", view, w[(slice(None), slice(None)) + offs])
        y = term if y is None else y + term
    if b is not None:
        y = y + b.reshape((1, -1) + (1,) * nd)
    return y


def maxpool(x, a):
    k = list(a["kernel_shape"])
    nd = len(k)
    if a.get("ceil_mode", 0):
        raise NotImplementedError("MaxPool ceil_mode")
    xp = _pad_spatial(x, a.get("pads", [0] * 2 * nd), -np.inf)
    y = None
    for _, view in _windows(xp, k, a.get("strides", [1] * nd), a.get("dilations", [1] * nd)):
        y = view if y is None else np.maximum(y, view)
    return y


def evaluate(path, x):
    """Runs the model at path on x (float64); returns the outputs as a dict name -> array."""
    model = onnx.load(path)
    env = {i.name: numpy_helper.to_array(i).astype(np.float64) for i in model.graph.initializer}
    env[model.graph.input[0].name] = np.asarray(x, dtype=np.float64)
    for node in model.graph.node:
        a, ins = _attrs(node), [env[i] if i else None for i in node.input]
        op = node.op_type
        if op == "Constant":
            out = numpy_helper.to_array(a["value"]).astype(np.float64)
        elif op == "Conv":
            out = conv(ins[0], ins[1], ins[2] if len(ins) > 2 else None, a)
        elif op == "BatchNormalization":
            xx, scale, bias, mean, var = ins[:5]
            shape = (1, -1) + (1,) * (xx.ndim - 2)
            out = (xx - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + a.get("epsilon", 1e-5))
            out = out * scale.reshape(shape) + bias.reshape(shape)
        elif op == "Relu":
            out = np.maximum(ins[0], 0.0)
        elif op == "Add":
            out = ins[0] + ins[1]
        elif op == "MaxPool":
            out = maxpool(ins[0], a)
        elif op == "GlobalAveragePool":
            out = ins[0].mean(axis=tuple(range(2, ins[0].ndim)), keepdims=True)
        elif op == "Flatten":
            ax = a.get("axis", 1)
            out = ins[0].reshape(int(np.prod(ins[0].shape[:ax])), -1)
        else:
            raise NotImplementedError(f"operator {op} ({node.name})")
        env[node.output[0]] = out
    return {o.name: env[o.name] for o in model.graph.output}
