"""Timing of smoothkit against numpy and scipy (and torch / onnxruntime when importable).

    python -m smoothkit.bench [--quick] [--reps N] [--min-time S]

Everything runs in this process on one thread (torch.set_num_threads(1), onnxruntime with
one intra-op thread; numpy and scipy do these ops on one thread). Each figure is the best
of `reps` runs of a loop lasting at least `min-time` seconds, in wall time; the peers' results
are checked against smoothkit's first (a peer that disagrees is reported, not timed).
"""
import argparse
import sys
import time

import numpy as np

import smoothkit as sk

SHAPES = [(4096, 1000), (16384, 128), (262144, 16)]
QUICK_SHAPES = [(1024, 1000), (8192, 16)]


def _numpy_ops():
    def softmax(x):
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)

    def log_softmax(x):
        z = x - x.max(axis=-1, keepdims=True)
        return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))

    def logsumexp(x):
        m = x.max(axis=-1)
        return m + np.log(np.exp(x - m[:, None]).sum(axis=-1))

    return {"softmax": softmax, "log_softmax": log_softmax, "logsumexp": logsumexp}


def _scipy_ops():
    from scipy import special
    return {"softmax": lambda x: special.softmax(x, axis=-1), "log_softmax": lambda x: special.log_softmax(x, axis=-1),
            "logsumexp": lambda x: special.logsumexp(x, axis=-1)}


def _torch_ops():
    import torch
    torch.set_num_threads(1)
    # torch.from_numpy shares memory: the conversion costs nothing
    return {"softmax": lambda x: torch.softmax(torch.from_numpy(x), -1).numpy(),
            "log_softmax": lambda x: torch.log_softmax(torch.from_numpy(x), -1).numpy(),
            "logsumexp": lambda x: torch.logsumexp(torch.from_numpy(x), -1).numpy()}


def _onnxruntime_ops():
    import onnx
    import onnxruntime as ort
    from onnx import TensorProto, helper
    options = ort.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    sessions = {}

    def op(name, onnx_op):
        def run(x):
            key = (name, x.dtype)
            if key not in sessions:
                elem = TensorProto.FLOAT if x.dtype == np.float32 else TensorProto.DOUBLE
                node = helper.make_node(onnx_op, ["x"], ["y"], axis=-1)
                graph = helper.make_graph([node], name, [helper.make_tensor_value_info("x", elem, [None, None])],
                                          [helper.make_tensor_value_info("y", elem, [None, None])])
                model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
                sessions[key] = ort.InferenceSession(model.SerializeToString(), options,
                                                     providers=["CPUExecutionProvider"])
            return sessions[key].run(None, {"x": x})[0]
        return run

    return {"softmax": op("softmax", "Softmax"), "log_softmax": op("log_softmax", "LogSoftmax")}


PEERS = {"numpy": _numpy_ops, "scipy": _scipy_ops, "torch": _torch_ops, "onnxruntime": _onnxruntime_ops}


def best_time(fn, x, reps, min_time):
    fn(x)
    best = float("inf")
    for _ in range(reps):
        n, start = 0, time.perf_counter()
        while True:
            fn(x)
            n += 1
            elapsed = time.perf_counter() - start
            if elapsed >= min_time:
                break
        best = min(best, elapsed / n)
    return best


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m smoothkit.bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="smaller shapes, one rep (a few seconds)")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--min-time", type=float, default=0.1, help="seconds per timed loop")
    args = ap.parse_args(argv)
    reps = 1 if args.quick else args.reps
    min_time = 0.02 if args.quick else args.min_time
    peers = {}
    for name, load in PEERS.items():
        try:
            peers[name] = load()
        except ImportError as e:
            print(f"# {name} not importable ({e.name}): left out")
    ours = {"softmax": sk.softmax, "log_softmax": sk.log_softmax, "logsumexp": sk.logsumexp}
    print(f"# smoothkit {sk.__version__} on the {sk.isa()} path, numpy {np.__version__}; 1 thread; "
          f"ms per call (best of {reps}); ratio = peer time / smoothkit time")
    header = f"{'op':12} {'dtype':8} {'shape':>12} {'smoothkit':>10}" + "".join(f" {p:>18}" for p in peers)
    print(header)
    rng = np.random.default_rng(0)
    for rows, cols in QUICK_SHAPES if args.quick else SHAPES:
        for dtype in (np.float32, np.float64):
            x = (rng.normal(size=(rows, cols)) * 3).astype(dtype)
            for op, fn in ours.items():
                ref = fn(x)
                t_ours = best_time(fn, x, reps, min_time)
                cells = []
                for peer in peers.values():
                    if op not in peer:
                        cells.append(f"{'-':>18}")
                        continue
                    got = np.asarray(peer[op](x))
                    if got.shape != ref.shape or not np.allclose(got, ref, rtol=1e-4 if dtype == np.float32 else 1e-10,
                                                                 atol=1e-6 if dtype == np.float32 else 1e-12):
                        cells.append(f"{'disagrees':>18}")
                        continue
                    t = best_time(peer[op], x, reps, min_time)
                    cells.append(f"{t * 1e3:9.3f} ({t / t_ours:4.2f}x)")
                shape = f"{rows}x{cols}"
                print(f"{op:12} {np.dtype(dtype).name:8} {shape:>12} {t_ours * 1e3:10.3f}" + "".join(f" {c}" for c in cells))
                sys.stdout.flush()


if __name__ == "__main__":
    main()
