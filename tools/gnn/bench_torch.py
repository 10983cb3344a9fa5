"""PyTorch peer of `npm run bench -- gnn` (bench/gnnRun.ts): NVE with the shipped copper GNN
(public/models/cu-mishin1.*) on the GPU, through model.py (the same architecture and weights as the
WGSL kernels), energy + forces (autograd) every step.

The same problem as bench/gnn.ts (GNN_BENCH): fcc Cu, a = 3.615 Å, 4·cells³ atoms, sites jittered
by ±0.02 Å, Maxwell–Boltzmann velocities at 300 K without net momentum, velocity Verlet at dt = 2 fs,
a Verlet list of rcut + skin (skin 0.5 Å) built on the GPU with a cell list, rebuilt when an atom
moved more than skin/2 since the last build (checked every step). Each step the pairs of the list
within rcut are the edges (the model's `sel` = 80 is never reached in the crystal: the script checks
and reports the largest count). Modes: eager, and `torch.compile` of the model's forward (AOTAutograd
compiles the backward too), dynamic shapes since the edge count changes between steps.

    python3 tools/gnn/bench_torch.py --cells 10 --steps 200 --warmup 20 --mode eager [--device cuda]

prints one JSON object per case on stdout: atoms, steps, seconds, atomStepsPerSecond, rebuilds,
energies, maxNeighbors, or `error` when a case failed (e.g. out of memory).
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from export import read_safetensors  # noqa: E402
from model import GnnModel  # noqa: E402

ACCELERATION_PER_FORCE_OVER_MASS = 9.64853321233e-3  # (Å/fs²) per (eV/Å / amu)
BOLTZMANN_EV_PER_K = 8.617333262e-5
LATTICE = 3.615
MASS = 63.546
TEMPERATURE = 300.0
JITTER = 0.02
DT = 2.0
SKIN = 0.5
ROOT = Path(__file__).resolve().parents[2]


def load_model(stem: Path, device: torch.device) -> GnnModel:
    config = json.loads(stem.with_suffix(".json").read_text())
    model = GnnModel(config)
    tensors = {k: torch.tensor(v) for k, v in read_safetensors(stem.with_suffix(".safetensors")).items()}
    model.load_tensors(tensors)
    return model.to(device=device, dtype=torch.float32)


def fcc(cells: int, seed: int) -> tuple[np.ndarray, np.ndarray, float]:
    """Positions (Å), velocities (Å/fs) and the box side (Å) of the benchmark crystal."""
    basis = np.array([[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]])
    g = np.stack(np.meshgrid(*[np.arange(cells)] * 3, indexing="ij"), -1).reshape(-1, 1, 3)
    pos = ((g + basis[None]) * LATTICE).reshape(-1, 3)
    rng = np.random.default_rng(seed)
    box = LATTICE * cells
    pos = (pos + rng.uniform(-JITTER, JITTER, pos.shape)) % box
    n = len(pos)
    sd = math.sqrt(BOLTZMANN_EV_PER_K * TEMPERATURE * ACCELERATION_PER_FORCE_OVER_MASS / MASS)
    v = rng.normal(0, sd, pos.shape)
    v -= v.mean(0)
    ke = 0.5 * MASS * (v * v).sum() / ACCELERATION_PER_FORCE_OVER_MASS
    v *= math.sqrt(1.5 * n * BOLTZMANN_EV_PER_K * TEMPERATURE / ke)
    return pos, v, box


def verlet_list(pos: torch.Tensor, box: float, cutoff: float, chunk: int = 16384):
    """All ordered pairs i != j within `cutoff` (minimum image, cubic box ≥ 3 cutoffs), by a cell
    list on the device: center, neighbor, image shift (Å) such that d = pos[j] + shift − pos[i]."""
    dev = pos.device
    n = pos.shape[0]
    nc = int(box // cutoff)
    if nc < 3:
        raise ValueError(f"box {box:.2f} Å is shorter than 3 list cutoffs ({cutoff} Å)")
    frac = torch.remainder(pos, box) / box
    cxyz = torch.clamp((frac * nc).long(), max=nc - 1)
    cid = (cxyz[:, 0] * nc + cxyz[:, 1]) * nc + cxyz[:, 2]
    order = torch.argsort(cid)
    counts = torch.bincount(cid, minlength=nc**3)
    m = int(counts.max())
    start = torch.cumsum(counts, 0) - counts
    slot = torch.arange(n, device=dev) - start[cid[order]]
    table = torch.full((nc**3, m), -1, dtype=torch.long, device=dev)
    table[cid[order], slot] = order
    offsets = torch.stack(torch.meshgrid(*[torch.arange(-1, 2, device=dev)] * 3, indexing="ij"), -1).reshape(-1, 3)
    centers, neighbors, shifts = [], [], []
    for a in range(0, n, chunk):
        idx = torch.arange(a, min(n, a + chunk), device=dev)
        cells = torch.remainder(cxyz[idx, None, :] + offsets[None], nc)
        ncid = (cells[..., 0] * nc + cells[..., 1]) * nc + cells[..., 2]
        cand = table[ncid].reshape(len(idx), -1)
        ok = cand >= 0
        cand = cand.clamp(min=0)
        d = pos[cand] - pos[idx, None, :]
        shift = -box * torch.round(d / box)
        d = d + shift
        r2 = (d * d).sum(-1)
        ok &= (r2 < cutoff * cutoff) & (cand != idx[:, None])
        i, k = ok.nonzero(as_tuple=True)
        centers.append(idx[i])
        neighbors.append(cand[i, k])
        shifts.append(shift[i, k])
    return torch.cat(centers), torch.cat(neighbors), torch.cat(shifts)


def run_case(model: GnnModel, cells: int, warmup: int, steps: int, mode: str, device: torch.device) -> dict:
    c = model.config
    rcut = c["rcut"]
    pos_np, vel_np, box = fcc(cells, seed=11)
    n = len(pos_np)
    pos = torch.tensor(pos_np, dtype=torch.float32, device=device)
    vel = torch.tensor(vel_np, dtype=torch.float32, device=device)
    types = torch.zeros(n, dtype=torch.long, device=device)
    inv_mass = ACCELERATION_PER_FORCE_OVER_MASS / MASS
    energy_fn = model.atom_energies
    if mode == "compile":
        energy_fn = torch.compile(model.atom_energies, dynamic=True)
    state = {"list": None, "ref": None, "rebuilds": 0, "max_neighbors": 0}

    def rebuild():
        state["list"] = verlet_list(pos.detach(), box, rcut + SKIN)
        state["ref"] = pos.detach().clone()
        state["rebuilds"] += 1

    def forces():
        if state["list"] is None or float(((pos - state["ref"]) ** 2).sum(1).max()) > (SKIN / 2) ** 2:
            rebuild()
        ci, nj, sh = state["list"]
        p = pos.detach().requires_grad_(True)
        d = p[nj] + sh - p[ci]
        within = (d * d).sum(1) < rcut * rcut
        e_ci, e_nj, e_d = ci[within], nj[within], d[within]
        energies = energy_fn(e_d, types, e_ci, e_nj)
        energy = energies.sum()
        (grad,) = torch.autograd.grad(energy, [p])
        return -grad, energy.detach(), e_ci

    def kinetic():
        return 0.5 * MASS * (vel * vel).sum() / ACCELERATION_PER_FORCE_OVER_MASS

    f, pe, e_ci = forces()
    state["max_neighbors"] = int(torch.bincount(e_ci, minlength=n).max())
    initial = float(pe + kinetic())

    def step():
        nonlocal f, pe
        vel.add_(f, alpha=0.5 * DT * inv_mass)
        pos.add_(vel, alpha=DT)
        f, pe, _ = forces()
        vel.add_(f, alpha=0.5 * DT * inv_mass)

    compile_start = time.perf_counter()
    for _ in range(warmup):
        step()
    if device.type == "cuda":
        torch.cuda.synchronize()
    warmup_seconds = time.perf_counter() - compile_start
    start_energy = float(pe + kinetic())
    rebuilds0 = state["rebuilds"]
    t0 = time.perf_counter()
    for _ in range(steps):
        step()
    if device.type == "cuda":
        torch.cuda.synchronize()
    seconds = time.perf_counter() - t0
    end_energy = float(pe + kinetic())
    ke = float(kinetic())
    return {
        "mode": mode,
        "atoms": n,
        "steps": steps,
        "seconds": seconds,
        "stepsPerSecond": steps / seconds,
        "atomStepsPerSecond": n * steps / seconds,
        "warmupSeconds": warmup_seconds,
        "rebuilds": state["rebuilds"] - rebuilds0,
        "initialEnergyPerAtom": initial / n,
        "startEnergyPerAtom": start_energy / n,
        "endEnergyPerAtom": end_energy / n,
        "endTemperature": 2 * ke / (3 * n * BOLTZMANN_EV_PER_K),
        "maxNeighbors": state["max_neighbors"],
        "sel": c["sel"],
        "peakMemoryGiB": torch.cuda.max_memory_allocated() / 2**30 if device.type == "cuda" else None,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cells", type=int, nargs="+", default=[10])
    ap.add_argument("--steps", type=int, nargs="+", default=[100], help="timed steps per size (last repeats)")
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--mode", nargs="+", choices=["eager", "compile"], default=["eager"])
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--model", default=str(ROOT / "public" / "models" / "cu-mishin1"))
    args = ap.parse_args()
    device = torch.device(args.device)
    model = load_model(Path(args.model), device)
    info = {"torch": torch.__version__, "device": torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu"}
    print(json.dumps({"info": info}), flush=True)
    for k, cells in enumerate(args.cells):
        steps = args.steps[min(k, len(args.steps) - 1)]
        for mode in args.mode:
            try:
                result = run_case(model, cells, args.warmup, steps, mode, device)
            except Exception as e:  # noqa: BLE001 — a failed case (OOM, compile error) is reported, not fatal
                result = {"mode": mode, "atoms": 4 * cells**3, "steps": steps, "error": f"{type(e).__name__}: {e}"[:500]}
            if device.type == "cuda":
                torch.cuda.empty_cache()
                torch.cuda.reset_peak_memory_stats()
            print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
