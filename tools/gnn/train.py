"""Trains the GNN potential of tools/gnn/model.py on a dataset written by make_dataset.py and exports it
in the weights format of docs/gnn-weights.md, with a model card (`<stem>.md`) and the metrics on the
held-out test split, which training never reads (validation drives early stopping only).

Loss per batch of frames: pe·mean((ΔE/N)²) + pf·mean(ΔF²) [+ pv·mean((ΔW/N)²)], with DeePMD's schedule:
each prefactor goes from its start to its limit value as the learning rate decays, so forces weigh most
early. Adam, exponential learning-rate decay over the step or time budget, whichever ends first.
float32 on CUDA when available (else CPU); the final test evaluation runs in float64.

    /usr/bin/python3 tools/gnn/train.py --smoke            # CPU, tiny model and data, < 2 min
    python3 tools/gnn/train.py --data tools/gnn/data/cu-mishin1.npz --out tools/gnn/models/cu-mishin1 \\
        --time-budget 13                                   # the H100 run (tools/gnn/README.md)
"""
from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).parent))
from export import export_model  # noqa: E402
from model import GnnModel, build_edges  # noqa: E402

SPLITS = ("train", "val", "test")
DEFAULT_CONFIG = dict(rcut=5.5, rcutSmooth=4.5, sel=80, nDim=64, eDim=32, nLayers=2, nBasis=16, hidden=[64])
SMOKE_CONFIG = dict(rcut=5.0, rcutSmooth=4.0, sel=64, nDim=16, eDim=8, nLayers=2, nBasis=8, hidden=[16])


def frame_edges(pos: np.ndarray, cell: np.ndarray, rcut: float, sel: int):
    """Edges of one periodic frame with wrapped positions, the same set and order as model.build_edges
    (nearest `sel` per center; ties by neighbor index, then image vector), vectorised per image.
    Returns center, neighbor, shift (Å) and the largest neighbor count before truncation."""
    inv = np.linalg.inv(cell)
    vol = abs(np.linalg.det(cell))
    ks = []
    for a in range(3):
        h = vol / np.linalg.norm(np.cross(cell[(a + 1) % 3], cell[(a + 2) % 3]))
        ks.append(int(math.ceil(rcut / h)))  # wrapped: |fractional difference| < 1
    assert np.all((pos @ inv >= -1e-9) & (pos @ inv < 1 + 1e-9))
    ci, nj, sh, rr = [], [], [], []
    n = len(pos)
    for na in range(-ks[0], ks[0] + 1):
        for nb in range(-ks[1], ks[1] + 1):
            for nc in range(-ks[2], ks[2] + 1):
                t = na * cell[0] + nb * cell[1] + nc * cell[2]
                d = pos[None, :, :] + t - pos[:, None, :]
                r = np.sqrt((d * d).sum(2))
                ok = r < rcut
                if na == 0 and nb == 0 and nc == 0:
                    ok[np.arange(n), np.arange(n)] = False
                i, j = np.nonzero(ok)
                ci.append(i)
                nj.append(j)
                sh.append(np.broadcast_to(t, (len(i), 3)))
                rr.append(np.stack([r[i, j], d[i, j, 0], d[i, j, 1], d[i, j, 2]], 1))
    ci, nj, sh, rr = np.concatenate(ci), np.concatenate(nj), np.concatenate(sh), np.concatenate(rr)
    order = np.lexsort((rr[:, 3], rr[:, 2], rr[:, 1], nj, rr[:, 0], ci))
    ci, nj, sh = ci[order], nj[order], sh[order]
    counts = np.bincount(ci, minlength=n)
    start = np.concatenate([[0], np.cumsum(counts)[:-1]])
    rank = np.arange(len(ci)) - start[ci]
    keep = rank < sel
    return ci[keep], nj[keep], sh[keep], int(counts.max(initial=0))


def _wrapped_edges(job):
    """Positions wrapped into the cell, and their edges (a process-pool job)."""
    p, cell, rcut, sel = job
    frac = p @ np.linalg.inv(cell)
    p = (frac - np.floor(frac)) @ cell
    return (p, *frame_edges(p, cell, rcut, sel))


class Dataset:
    """Frames on one device: wrapped positions, edges (frame-local indices), targets, per-frame pointers."""

    def __init__(self, path: Path, config: dict, device: torch.device, dtype: torch.dtype,
                 max_frames: int | None = None):
        # Every array read once: indexing an NpzFile decompresses the whole member on each access.
        with np.load(path, allow_pickle=False) as npz:
            z = {k: npz[k] for k in npz.files}
        self.meta = json.loads(str(z["meta"]))
        n_atoms = z["n_atoms"].astype(np.int64)
        atom_ptr = np.concatenate([[0], np.cumsum(n_atoms)])
        frames = np.arange(len(n_atoms))
        if max_frames is not None:  # a subset that keeps every split
            rng = np.random.default_rng(0)
            frames = np.sort(np.concatenate([rng.permutation(np.nonzero(z["split"] == k)[0])[:max(1, max_frames // 3)]
                                             for k in range(3)]))
        pos_l, f_l, c_l, n_l, s_l, ne, max_nb = [], [], [], [], [], [], 0
        jobs = [(z["positions"][atom_ptr[f]:atom_ptr[f + 1]], z["cell"][f], config["rcut"], config["sel"])
                for f in frames]
        # Threads, not processes (a process pool hung on the device): numpy releases the GIL in the
        # per-image distance and sort work, which is most of the ~0.1 s a frame takes.
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            edges = list(pool.map(_wrapped_edges, jobs))
        for f, (p, c, n, s, m) in zip(frames, edges):
            max_nb = max(max_nb, m)
            pos_l.append(p)
            f_l.append(z["forces"][atom_ptr[f]:atom_ptr[f + 1]])
            c_l.append(c)
            n_l.append(n)
            s_l.append(s)
            ne.append(len(c))
        self.max_neighbors = max_nb
        self.frames = frames
        na = n_atoms[frames]
        t = lambda a, dt=dtype: torch.tensor(np.asarray(a), dtype=dt, device=device)  # noqa: E731
        self.n_frames = len(frames)
        self.n_atoms = t(na, torch.long)
        self.n_edges = t(ne, torch.long)
        self.atom_ptr = t(np.concatenate([[0], np.cumsum(na)])[:-1], torch.long)
        self.edge_ptr = t(np.concatenate([[0], np.cumsum(ne)])[:-1], torch.long)
        self.pos = t(np.concatenate(pos_l))
        self.forces = t(np.concatenate(f_l))
        self.center = t(np.concatenate(c_l), torch.long)
        self.neighbor = t(np.concatenate(n_l), torch.long)
        self.shift = t(np.concatenate(s_l))
        self.types = t(z["types"][np.concatenate([np.arange(atom_ptr[f], atom_ptr[f + 1]) for f in frames])],
                       torch.long)
        self.energy = t(z["energy"][frames])
        v = z["virial"][frames]
        self.virial = t(v)
        self.cell = z["cell"][frames]
        self.split = z["split"][frames]
        self.category = z["category"][frames]
        self.n_atoms_np = na
        self.energy_np = z["energy"][frames]

    def to(self, dtype: torch.dtype) -> Dataset:
        for k in ("pos", "forces", "shift", "energy", "virial"):
            setattr(self, k, getattr(self, k).to(dtype))
        return self

    def indices(self, split: str) -> np.ndarray:
        return np.nonzero(self.split == SPLITS.index(split))[0]


def gather(ds: Dataset, frames: torch.Tensor) -> dict:
    """Batch-local index arrays for the frames (a LongTensor on the dataset's device)."""
    dev = frames.device
    na, ne = ds.n_atoms[frames], ds.n_edges[frames]
    b = len(frames)
    atom_off = torch.cumsum(na, 0) - na
    edge_off = torch.cumsum(ne, 0) - ne
    n_at, n_ed = int(na.sum()), int(ne.sum())
    fa = torch.repeat_interleave(torch.arange(b, device=dev), na)
    fe = torch.repeat_interleave(torch.arange(b, device=dev), ne)
    atom_idx = (ds.atom_ptr[frames] - atom_off)[fa] + torch.arange(n_at, device=dev)
    edge_idx = (ds.edge_ptr[frames] - edge_off)[fe] + torch.arange(n_ed, device=dev)
    return dict(frames=frames, fa=fa, fe=fe, atom_idx=atom_idx, edge_idx=edge_idx,
                c=ds.center[edge_idx] + atom_off[fe], n=ds.neighbor[edge_idx] + atom_off[fe], na=na)


def predict(model: GnnModel, ds: Dataset, b: dict, virial: bool, create_graph: bool):
    """Energies (B,), forces (atoms, 3) and, if asked, virials (B, 6: xx yy zz xy xz yz) of a batch."""
    pos = ds.pos[b["atom_idx"]].detach().requires_grad_(True)
    d = pos[b["n"]] + ds.shift[b["edge_idx"]] - pos[b["c"]]
    inputs = [pos]
    if virial:
        strain = torch.zeros(len(b["frames"]), 3, 3, dtype=pos.dtype, device=pos.device, requires_grad=True)
        d = d + torch.einsum("eab,eb->ea", strain[b["fe"]], d)
        inputs.append(strain)
    ea = model.atom_energies(d, ds.types[b["atom_idx"]], b["c"], b["n"])
    energy = torch.zeros(len(b["frames"]), dtype=pos.dtype, device=pos.device).index_add(0, b["fa"], ea)
    grads = torch.autograd.grad(energy.sum(), inputs, create_graph=create_graph)
    forces = -grads[0]
    w = None
    if virial:
        g = -grads[1]
        w = torch.stack([g[:, 0, 0], g[:, 1, 1], g[:, 2, 2], g[:, 0, 1], g[:, 0, 2], g[:, 1, 2]], 1)
    return energy, forces, w


def evaluate(model: GnnModel, ds: Dataset, idx: np.ndarray, batch: int, virial: bool) -> dict:
    """MAE / RMSE of energy per atom (meV/atom), force components (meV/Å), virial per atom (meV/atom),
    overall and per category."""
    rows = []
    for k in range(0, len(idx), batch):
        frames = torch.tensor(idx[k:k + batch], device=ds.pos.device)
        b = gather(ds, frames)
        e, f, w = predict(model, ds, b, virial, create_graph=False)
        de = ((e - ds.energy[frames]) / b["na"]).detach().cpu().numpy()
        df = (f - ds.forces[b["atom_idx"]]).detach()
        fa = b["fa"].cpu().numpy()
        dfa = np.abs(df.cpu().numpy())
        dfs = df.cpu().numpy() ** 2
        dw = ((w - ds.virial[frames]) / b["na"][:, None]).detach().cpu().numpy() if virial else None
        for j, fr in enumerate(idx[k:k + batch]):
            m = fa == j
            rows.append((fr, de[j], dfa[m].sum(), dfs[m].sum(), 3 * m.sum(),
                         np.abs(dw[j]).mean() if virial else 0.0))
    fr = np.array([r[0] for r in rows])
    cat = ds.category[fr]

    def stats(mask):
        de = np.array([r[1] for r in rows])[mask]
        fab = np.array([r[2] for r in rows])[mask].sum()
        fsq = np.array([r[3] for r in rows])[mask].sum()
        nf = np.array([r[4] for r in rows])[mask].sum()
        out = dict(frames=int(mask.sum()), energyMae_meV_per_atom=1e3 * np.abs(de).mean(),
                   energyRmse_meV_per_atom=1e3 * math.sqrt((de**2).mean()),
                   forceMae_meV_per_A=1e3 * fab / nf, forceRmse_meV_per_A=1e3 * math.sqrt(fsq / nf))
        if virial:
            out["virialMae_meV_per_atom"] = 1e3 * np.array([r[5] for r in rows])[mask].mean()
        return out

    res = stats(np.ones(len(rows), dtype=bool))
    names = ds.meta.get("categories", [])
    res["byCategory"] = {names[c] if c < len(names) else str(c): stats(cat == c) for c in np.unique(cat)}
    return res


def git_commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=Path(__file__).parent,
                             capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "tools/gnn"], cwd=Path(__file__).parent,
                               capture_output=True, text=True).stdout.strip()
        return out + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def self_check(model: GnnModel, ds: Dataset, config: dict) -> float:
    """The batched training path against model.evaluate (float64, CPU) on the first two frames: same
    edges, energies and forces. Returns the largest force difference (eV/Å)."""
    m64 = GnnModel(config).double()
    m64.load_tensors({k: v.double().cpu() for k, v in model.tensors().items()})
    z = ds
    worst = 0.0
    for f in range(min(2, z.n_frames)):
        lo, hi = int(z.atom_ptr[f]), int(z.atom_ptr[f]) + int(z.n_atoms[f])
        pos = z.pos[lo:hi].double().cpu().numpy()
        cell = z.cell[f]
        ref = m64.evaluate(pos, np.zeros(hi - lo, dtype=np.int64), cell, np.array([True] * 3))
        c, n, s, _ = build_edges(pos, np.zeros(hi - lo), cell, np.array([True] * 3), config["rcut"], config["sel"])
        c2, n2, s2, _ = frame_edges(pos, cell, config["rcut"], config["sel"])
        if not (np.array_equal(c, c2) and np.array_equal(n, n2) and np.allclose(s, s2)):
            raise AssertionError("frame_edges differs from model.build_edges")
        b = gather(z, torch.tensor([f], device=z.pos.device))
        old = z.pos.dtype
        z.to(torch.float64)
        e, fo, _ = predict(m64.to(z.pos.device), z, b, virial=False, create_graph=False)
        z.to(old)
        if abs(float(e[0]) - ref["energy"]) > 1e-9 * max(1.0, abs(ref["energy"])):
            raise AssertionError(f"energy {float(e[0])} vs model.evaluate {ref['energy']}")
        worst = max(worst, float(np.abs(fo.detach().cpu().numpy() - ref["forces"]).max()))
    if worst > 1e-9:
        raise AssertionError(f"forces differ from model.evaluate by {worst} eV/Å")
    return worst


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", type=Path, default=Path(__file__).parent / "data" / "cu-mishin1.npz")
    p.add_argument("--out", type=Path, default=Path(__file__).parent / "models" / "cu-mishin1",
                   help="output stem: <out>.json, <out>.safetensors, <out>.md, <out>.metrics.json")
    p.add_argument("--config", type=str, default=None,
                   help="JSON object overriding architecture keys (rcut, rcutSmooth, sel, nDim, eDim, nLayers, "
                        f"nBasis, hidden); default {json.dumps(DEFAULT_CONFIG)}")
    p.add_argument("--batch", type=int, default=16, help="frames per batch")
    p.add_argument("--steps", type=int, default=200_000)
    p.add_argument("--time-budget", type=float, default=13.0, help="minutes of training (decay ends here)")
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--lr-end", type=float, default=1e-5)
    p.add_argument("--pe", type=float, nargs=2, default=[0.02, 20.0], help="energy prefactor start limit")
    p.add_argument("--pf", type=float, nargs=2, default=[1000.0, 1.0], help="force prefactor start limit")
    p.add_argument("--pv", type=float, nargs=2, default=[0.0, 0.0], help="virial prefactor start limit")
    p.add_argument("--eval-every", type=int, default=1000, help="steps between validations")
    p.add_argument("--patience", type=int, default=10, help="validations without improvement before stopping")
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--dtype", choices=["F32", "F64"], default="F32", help="safetensors dtype of the export")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--max-frames", type=int, default=None, help="use a subset (every split kept)")
    p.add_argument("--smoke", action="store_true",
                   help="tiny model, 60 frames, 150 steps, CPU; checks the batched path against model.py")
    args = p.parse_args(argv)

    if args.smoke:
        args.device = "cpu"
        args.steps = min(args.steps, 150)
        args.eval_every = 50
        args.max_frames = args.max_frames or 60
        args.batch = 4
    if not args.data.is_file():
        print(f"error: dataset {args.data} not found; write it with tools/gnn/make_dataset.py", file=sys.stderr)
        return 2
    config = dict(SMOKE_CONFIG if args.smoke else DEFAULT_CONFIG)
    if args.config:
        extra = json.loads(args.config)
        unknown = set(extra) - set(DEFAULT_CONFIG)
        if unknown:
            print(f"error: --config has unknown keys {sorted(unknown)}", file=sys.stderr)
            return 2
        config.update(extra)
    torch.manual_seed(args.seed)
    device = torch.device(args.device)
    # model.py builds a few tensors without a device; on CUDA (PyTorch >= 2) make CUDA their default.
    dev_ctx = device if device.type != "cpu" else contextlib.nullcontext()
    t0 = time.time()
    ds = Dataset(args.data, config, device, torch.float32, args.max_frames)
    meta = ds.meta
    if meta.get("elements") != ["Cu"]:
        print(f"error: {args.data}: elements {meta.get('elements')}, expected ['Cu']", file=sys.stderr)
        return 2
    if ds.max_neighbors > config["sel"]:
        print(f"error: an atom has {ds.max_neighbors} neighbors within rcut {config['rcut']} Å, more than "
              f"sel {config['sel']}: the energy would not be continuous; raise sel or lower rcut", file=sys.stderr)
        return 2
    train_idx, val_idx, test_idx = (ds.indices(s) for s in SPLITS)
    e_per_atom = ds.energy_np[train_idx] / ds.n_atoms_np[train_idx]
    config.update(elements=["Cu"], activation="silu", units={"length": "Å", "energy": "eV"},
                  energyBias={"Cu": float(e_per_atom.mean())})
    print(f"data {args.data}: {ds.n_frames} frames (train {len(train_idx)}, val {len(val_idx)}, test "
          f"{len(test_idx)}), {int(ds.n_edges.sum())} edges, max {ds.max_neighbors} neighbors (sel "
          f"{config['sel']}), loaded in {time.time() - t0:.1f} s; device {device}", flush=True)
    model = GnnModel(config).to(device)
    with torch.no_grad():
        model.type_embedding.normal_(0, 1)
    n_par = sum(p.numel() for p in model.parameters())
    print(f"model {json.dumps({k: config[k] for k in DEFAULT_CONFIG})}: {n_par} parameters", flush=True)
    if args.smoke:
        with dev_ctx:
            print(f"self-check vs model.evaluate: max |ΔF| {self_check(model, ds, config):.2e} eV/Å", flush=True)

    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    rng = np.random.default_rng(args.seed)
    virial_fit = max(args.pv) > 0
    best, best_state, since_best, history = math.inf, None, 0, []
    t_train = time.time()
    budget_s = 60 * args.time_budget
    step, order, cursor = 0, rng.permutation(train_idx), 0
    with dev_ctx:
        while step < args.steps:
            progress = max(step / args.steps, (time.time() - t_train) / budget_s)
            if progress >= 1:
                break
            lr = args.lr * (args.lr_end / args.lr) ** progress
            for g in opt.param_groups:
                g["lr"] = lr
            frac = lr / args.lr
            pe, pf, pv = (lim + (start - lim) * frac for start, lim in (args.pe, args.pf, args.pv))
            if cursor + args.batch > len(order):
                order, cursor = rng.permutation(train_idx), 0
            frames = torch.tensor(order[cursor:cursor + args.batch], device=device)
            cursor += args.batch
            b = gather(ds, frames)
            e, f, w = predict(model, ds, b, virial_fit, create_graph=True)
            loss = pe * (((e - ds.energy[frames]) / b["na"]) ** 2).mean() + \
                pf * ((f - ds.forces[b["atom_idx"]]) ** 2).mean()
            if virial_fit:
                loss = loss + pv * (((w - ds.virial[frames]) / b["na"][:, None]) ** 2).mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            step += 1
            if step % args.eval_every == 0 or step == args.steps:
                v = evaluate(model, ds, val_idx, 32, virial=False)
                score = v["energyMae_meV_per_atom"] / 5 + v["forceMae_meV_per_A"] / 100
                history.append(dict(step=step, seconds=round(time.time() - t_train, 1), lr=lr, loss=float(loss.detach()),
                                    valEnergyMae=v["energyMae_meV_per_atom"], valForceMae=v["forceMae_meV_per_A"]))
                print(f"step {step:6d} {time.time() - t_train:6.0f} s lr {lr:.2e} loss {float(loss.detach()):.3e}  val "
                      f"E {v['energyMae_meV_per_atom']:.2f} meV/atom  F {v['forceMae_meV_per_A']:.1f} meV/Å",
                      flush=True)
                if score < best * 0.995:
                    best, since_best = score, 0
                    best_state = {k: t.detach().clone() for k, t in model.state_dict().items()}
                else:
                    since_best += 1
                    if since_best >= args.patience and progress > 0.3:
                        print(f"early stop: no validation improvement in {args.patience} evaluations", flush=True)
                        break
    train_s = time.time() - t_train
    if best_state is not None:
        model.load_state_dict(best_state)

    # held-out test, float64
    model = model.double()
    ds.to(torch.float64)
    with dev_ctx:
        test = evaluate(model, ds, test_idx, 16, virial=True)
        val = evaluate(model, ds, val_idx, 16, virial=False)
    dev_name = torch.cuda.get_device_name(device) if device.type == "cuda" else "CPU"
    print(f"test ({test['frames']} frames, float64): energy MAE {test['energyMae_meV_per_atom']:.2f} meV/atom "
          f"(RMSE {test['energyRmse_meV_per_atom']:.2f}), force MAE {test['forceMae_meV_per_A']:.1f} meV/Å "
          f"(RMSE {test['forceRmse_meV_per_A']:.1f}), virial MAE {test['virialMae_meV_per_atom']:.1f} meV/atom")
    for c, s in test["byCategory"].items():
        print(f"  {c:14s} {s['frames']:4d} frames  E {s['energyMae_meV_per_atom']:7.2f} meV/atom  "
              f"F {s['forceMae_meV_per_A']:7.1f} meV/Å  W {s['virialMae_meV_per_atom']:7.1f} meV/atom")

    metrics = {k: round(float(test[k]), 4) for k in test if k not in ("byCategory", "frames")}
    config["provenance"] = dict(
        trainingData=(f"{meta['reference']}; {ds.n_frames} frames ({len(train_idx)} train, {len(val_idx)} "
                      f"validation, {len(test_idx)} held-out test) of Cu from NVT MD 300-1500 K, strained cells, "
                      f"(100)/(111) slabs, vacancies, interstitials, liquid 1400-2000 K; {args.data.name} "
                      f"({meta['date']})"),
        code=f"tools/gnn/train.py @ {git_commit()}",
        date=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        metrics=metrics,
        device=dev_name,
        training=dict(steps=step, seconds=round(train_s), batchFrames=args.batch, lr=[args.lr, args.lr_end],
                      pe=args.pe, pf=args.pf, pv=args.pv, precision="float32", seed=args.seed),
        potentialSha256=meta.get("potentialSha256", ""),
    )
    model = model.cpu()
    model.config = config
    args.out.parent.mkdir(parents=True, exist_ok=True)
    export_model(model, args.out, args.dtype)
    Path(str(args.out) + ".metrics.json").write_text(json.dumps(dict(test=test, validation=val, history=history),
                                                                indent=1, default=float) + "\n")
    Path(str(args.out) + ".md").write_text(model_card(args.out.name, config, test, meta, n_par, step, train_s,
                                                      dev_name))
    print(f"wrote {args.out}.json, .safetensors ({args.dtype}), .md, .metrics.json; {step} steps in "
          f"{train_s:.0f} s on {dev_name}; total {time.time() - t0:.0f} s")
    return 0


def model_card(name: str, config: dict, test: dict, meta: dict, n_par: int, steps: int, seconds: float,
               device: str) -> str:
    p = config["provenance"]
    rows = "\n".join(
        f"| {c} | {s['frames']} | {s['energyMae_meV_per_atom']:.2f} | {s['forceMae_meV_per_A']:.1f} | "
        f"{s['virialMae_meV_per_atom']:.1f} |" for c, s in test["byCategory"].items())
    arch = {k: config[k] for k in DEFAULT_CONFIG}
    return f"""# Model card: {name}

- **What**: message-passing GNN potential for copper (docs/gnn-weights.md, format version 1), {n_par} parameters,
  architecture `{json.dumps(arch)}`, energy bias {config['energyBias']['Cu']:.6f} eV/atom.
- **Reference**: {meta['reference']} (sha256 {meta.get('potentialSha256', '')[:16]}…).
- **Training data**: {p['trainingData']}.
- **Training**: {steps} Adam steps in {seconds:.0f} s on {device}, float32; loss on energy per atom and forces
  (force weight high early), early stopping on the validation split.
- **Code**: {p['code']}, {p['date']}.

## Accuracy on the held-out test split ({test['frames']} frames, never used in training; float64)

| | value |
| --- | --- |
| energy MAE | {test['energyMae_meV_per_atom']:.2f} meV/atom (RMSE {test['energyRmse_meV_per_atom']:.2f}) |
| force MAE (per component) | {test['forceMae_meV_per_A']:.1f} meV/Å (RMSE {test['forceRmse_meV_per_A']:.1f}) |
| virial MAE | {test['virialMae_meV_per_atom']:.1f} meV/atom |

| category | frames | E MAE meV/atom | F MAE meV/Å | W MAE meV/atom |
| --- | --- | --- | --- | --- |
{rows}

## Limits

Trained on one EAM potential, not on quantum-mechanical data: it can at best reproduce that potential.
Outside the sampled configurations (pressures beyond ±3 % strain, temperatures above 2,000 K,
other elements, more than sel = {config['sel']} neighbors within {config['rcut']} Å) it is untested.
"""


if __name__ == "__main__":
    sys.exit(main())
