"""Copper training data for the GNN potential (issue 6): energies, forces and virials from LAMMPS with
Mishin's EAM copper (Debian lammps-data `Cu_mishin1.eam.alloy`, Mishin et al., Phys. Rev. B 63,
224106 (2001)), on configurations from NVT molecular dynamics:

  bulk fcc 300-1500 K (32, 108, 256 atoms), isotropic (-3..+3 %) and shear (+-3 %) strained cells,
  (100) and (111) slabs with 12 A of vacuum, mono- and divacancies, self-interstitials, liquid.

Each trajectory is one serial `lmp` run (equilibration, then one frame every `every` steps); frames
are cut into blocks of consecutive frames and whole blocks go to train / validation / test, so
near-identical neighbouring MD frames never straddle the held-out split.

Output: one compressed .npz (docs in tools/gnn/README.md), units A, eV; virial W = -dE/d(strain)
(xx yy zz xy xz yz, eV), the sign of docs/gnn-weights.md and scripts/lammps.ts.

    /usr/bin/python3 tools/gnn/make_dataset.py                 # full set, ~2,700 frames
    /usr/bin/python3 tools/gnn/make_dataset.py --smoke -o /tmp/cu-smoke.npz
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

POTENTIAL_DIR = Path("/usr/share/lammps/potentials")
DEFAULT_POTENTIAL = "Cu_mishin1.eam.alloy"
A0 = 3.615  # Å, Mishin Cu lattice parameter at 0 K
MASS = 63.546  # amu
NKTV2P = 1.6021765e6  # bar·Å³ per eV (LAMMPS force->nktv2p, units metal)
SPLITS = ("train", "val", "test")
TIMESTEP = 0.001  # ps


def lattice_at(temperature: float) -> float:
    """Thermally expanded fcc lattice parameter (Å): linear expansion ~1.8e-5 /K, so NVT cells sit near zero pressure."""
    return A0 * (1 + 1.8e-5 * temperature)


def trajectories(smoke: bool) -> list[dict]:
    """The trajectory specs: name, category, temperature (K), LAMMPS setup lines, frames, stride."""
    out: list[dict] = []

    def bulk(n: int, a: float) -> list[str]:
        return [f"lattice fcc {a}", f"region box prism 0 {n} 0 {n} 0 {n} 0 0 0", "create_box 1 box",
                "create_atoms 1 box"]

    def add(name, category, t, setup, frames, every=100, equil=2000, pre=None, post=None):
        out.append(dict(name=name, category=category, temperature=float(t), setup=setup, frames=frames,
                        every=every, equil=equil, pre=[*(post or []), *(pre or [])], relaxOnly=bool(post) and not pre))

    if smoke:
        add("bulk108-600K", "bulk", 600, bulk(3, lattice_at(600)), 8, every=50, equil=200)
        add("bulk32-1200K", "bulk", 1200, bulk(2, lattice_at(1200)), 8, every=50, equil=200)
        add("vac-900K", "vacancy", 900, bulk(3, lattice_at(900)) + ["group gone id 1", "delete_atoms group gone"],
            8, every=50, equil=200)
        add("slab100-600K", "surface", 600, slab100(lattice_at(600)), 6, every=50, equil=200)
        return out

    for t in (300, 600, 900, 1200, 1500):
        add(f"bulk108-{t}K", "bulk", t, bulk(3, lattice_at(t)), 160)
    for t in (300, 900, 1500):
        add(f"bulk32-{t}K", "bulk", t, bulk(2, lattice_at(t)), 60)
    add("bulk256-900K", "bulk", 900, bulk(4, lattice_at(900)), 60)
    for eps in (-0.03, -0.015, 0.015, 0.03):
        for t in (300, 900):
            s = 1 + eps
            add(f"iso{eps:+.3f}-{t}K", "strain-iso", t,
                bulk(3, lattice_at(t)) + [f"change_box all x scale {s} y scale {s} z scale {s} remap"], 40)
    for comp in ("xy", "xz", "yz"):
        for eps in (-0.03, 0.03):
            # tilt = eps * (length of the second axis of the pair); cubic 3x3x3 cell of a(600 K)
            tilt = eps * 3 * lattice_at(600)
            add(f"shear-{comp}{eps:+.2f}-600K", "strain-shear", 600,
                bulk(3, lattice_at(600)) + [f"change_box all {comp} final {tilt} remap"], 30)
    for comp, eps in (("x", 0.03), ("z", -0.03)):
        add(f"uniaxial-{comp}{eps:+.2f}-600K", "strain-shear", 600,
            bulk(3, lattice_at(600)) + [f"change_box all {comp} scale {1 + eps} remap"], 30)
    for t in (300, 900):
        add(f"slab100-{t}K", "surface", t, slab100(lattice_at(t)), 60)
        add(f"slab111-{t}K", "surface", t, slab111(lattice_at(t)), 60)
    add("slab100-1200K", "surface", 1200, slab100(lattice_at(1200)), 40)
    for t in (300, 900, 1200):
        add(f"vac1-{t}K", "vacancy", t, bulk(3, lattice_at(t)) + ["group gone id 1", "delete_atoms group gone"], 40)
        add(f"vac2-{t}K", "vacancy", t,
            bulk(3, lattice_at(t)) + ["group gone id 1 2", "delete_atoms group gone"], 40)
    for t in (300, 900):
        a = lattice_at(t)
        add(f"interstitial-{t}K", "interstitial", t,
            bulk(3, a) + [f"create_atoms 1 single {0.5 * a + 0.05} {0.02} {0.03} units box"], 40,
            post=["minimize 1e-8 1e-10 200 2000", "reset_timestep 0"])
    a_liq = A0 * (8.96 / 8.0) ** (1 / 3)  # liquid Cu near melting, 8.0 g/cm³
    for t in (1400, 1700, 2000):
        add(f"liquid108-{t}K", "liquid", t, bulk(3, a_liq), 80,
            pre=["velocity all create 4000 4242 mom yes rot no dist gaussian",
                 "fix melt all nvt temp 3000 3000 0.1", "run 3000", "unfix melt"])
    return out


def slab100(a: float) -> list[str]:
    """(100) slab: 3x3 conventional cells in plane, 10 atomic layers (180 atoms), 12 Å vacuum along z."""
    zl = 4.5 + 12.0 / a
    return [f"lattice fcc {a}", f"region box prism 0 3 0 3 0 {zl} 0 0 0", "create_box 1 box",
            "region slab block INF INF INF INF -0.01 4.51", "create_atoms 1 region slab"]


def slab111(a: float) -> list[str]:
    """(111) slab: x [1-10], y [11-2], z [111]; 16 atoms a layer, 8 layers (128 atoms), 12 Å vacuum."""
    zl = (7 / 3 * a * 3**0.5 + 12.0) / (a * 3**0.5)  # in z lattice units (a√3)
    return [f"lattice fcc {a} orient x 1 -1 0 orient y 1 1 -2 orient z 1 1 1",
            f"region box prism 0 2 0 1 0 {zl} 0 0 0", "create_box 1 box",
            "region slab block INF INF INF INF -0.01 2.34", "create_atoms 1 region slab"]


def deck(spec: dict, potential: Path, seed: int) -> str:
    t = spec["temperature"]
    lines = ["units metal", "atom_style atomic", "boundary p p p", *spec["setup"], f"mass 1 {MASS}",
             "pair_style eam/alloy", f"pair_coeff * * {potential} Cu", "neighbor 1.0 bin",
             "neigh_modify every 1 delay 0 check yes", f"timestep {TIMESTEP}", "thermo 1000"]
    lines += spec["pre"]
    if not spec["pre"] or spec["relaxOnly"]:
        lines.append(f"velocity all create {2 * t} {seed} mom yes rot no dist gaussian")
    lines += [f"fix nvt all nvt temp {t} {t} 0.1", f"run {spec['equil']}",
              "compute pe all pe/atom", "compute s all stress/atom NULL virial",
              f"dump d all custom {spec['every']} dump.txt id type x y z fx fy fz c_pe "
              "c_s[1] c_s[2] c_s[3] c_s[4] c_s[5] c_s[6]",
              "dump_modify d sort id format float %.15g",
              f"run {spec['every'] * (spec['frames'] - 1)}"]
    return "\n".join(lines) + "\n"


def parse_dump(text: str) -> list[dict]:
    """Frames of a LAMMPS `dump custom` (triclinic or orthogonal box): cell rows a, b, c and positions
    relative to the box origin (Å), forces (eV/Å), energy (eV, sum of pe/atom), virial (eV)."""
    lines = text.splitlines()
    frames = []
    i = 0
    while i < len(lines):
        if not lines[i].startswith("ITEM: TIMESTEP"):
            raise ValueError(f"dump line {i + 1}: expected ITEM: TIMESTEP, found {lines[i]!r}")
        n = int(lines[i + 3])
        header = lines[i + 4]
        b = np.array([[float(v) for v in lines[i + 5 + k].split()] for k in range(3)])
        if "xy" in header:
            xy, xz, yz = b[0, 2], b[1, 2], b[2, 2]
        else:
            xy = xz = yz = 0.0
        xlo = b[0, 0] - min(0.0, xy, xz, xy + xz)
        xhi = b[0, 1] - max(0.0, xy, xz, xy + xz)
        ylo = b[1, 0] - min(0.0, yz)
        yhi = b[1, 1] - max(0.0, yz)
        zlo, zhi = b[2, 0], b[2, 1]
        cell = np.array([[xhi - xlo, 0, 0], [xy, yhi - ylo, 0], [xz, yz, zhi - zlo]])
        cols = lines[i + 8].split()[2:]
        data = np.array([[float(v) for v in ln.split()] for ln in lines[i + 9:i + 9 + n]])
        col = {c: k for k, c in enumerate(cols)}
        s = data[:, [col[f"c_s[{k}]"] for k in range(1, 7)]]
        frames.append(dict(
            cell=cell,
            positions=data[:, [col["x"], col["y"], col["z"]]] - np.array([xlo, ylo, zlo]),
            forces=data[:, [col["fx"], col["fy"], col["fz"]]],
            energy=float(data[:, col["c_pe"]].sum()),
            # compute stress/atom NULL virial is -W_i·nktv2p (bar·Å³)
            virial=-s.sum(0) / NKTV2P,
        ))
        i += 9 + n
    return frames


def run_trajectory(spec: dict, potential: Path, seed: int) -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="cu-gnn-") as tmp:
        Path(tmp, "in.lmp").write_text(deck(spec, potential, seed))
        r = subprocess.run(["lmp", "-in", "in.lmp", "-log", "log.lammps", "-screen", "none"], cwd=tmp,
                           capture_output=True, text=True)
        if r.returncode != 0:
            log = Path(tmp, "log.lammps")
            tail = log.read_text()[-2000:] if log.exists() else r.stdout[-2000:] + r.stderr[-2000:]
            raise RuntimeError(f"lmp failed on trajectory {spec['name']} (exit {r.returncode}):\n{tail}")
        frames = parse_dump(Path(tmp, "dump.txt").read_text())
    if len(frames) != spec["frames"]:
        raise RuntimeError(f"trajectory {spec['name']}: expected {spec['frames']} frames, got {len(frames)}")
    return frames


def assign_splits(n_frames: int, block: int, rng: np.random.Generator, fractions=(0.8, 0.1, 0.1)) -> np.ndarray:
    """Split ids (0 train, 1 val, 2 test) per frame: whole blocks of `block` consecutive frames."""
    n_blocks = -(-n_frames // block)
    order = rng.permutation(n_blocks)
    n_test = max(1, round(fractions[2] * n_blocks)) if n_blocks >= 3 else 0
    n_val = max(1, round(fractions[1] * n_blocks)) if n_blocks >= 3 else 0
    block_split = np.zeros(n_blocks, dtype=np.int8)
    block_split[order[:n_test]] = 2
    block_split[order[n_test:n_test + n_val]] = 1
    return np.repeat(block_split, block)[:n_frames]


def git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=Path(__file__).parent,
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-o", "--output", type=Path, default=Path(__file__).parent / "data" / "cu-mishin1.npz")
    p.add_argument("--potential", default=DEFAULT_POTENTIAL,
                   help=f"eam/alloy file in {POTENTIAL_DIR} with element Cu (default {DEFAULT_POTENTIAL})")
    p.add_argument("--seed", type=int, default=20240611)
    p.add_argument("--block", type=int, default=5, help="consecutive frames kept together in one split")
    p.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="lmp runs at once")
    p.add_argument("--smoke", action="store_true", help="a tiny set (~30 frames, seconds) for tests")
    args = p.parse_args(argv)

    potential = POTENTIAL_DIR / args.potential
    if not potential.is_file():
        print(f"error: potential file {potential} not found (install Debian's lammps-data)", file=sys.stderr)
        return 2
    specs = trajectories(args.smoke)
    t0 = time.time()
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = list(pool.map(lambda ks: run_trajectory(ks[1], potential, args.seed + 7919 * ks[0]),
                                enumerate(specs)))
    rng = np.random.default_rng(args.seed)
    categories = sorted({s["category"] for s in specs})
    cols: dict[str, list] = {k: [] for k in ("n_atoms", "cell", "positions", "forces", "energy", "virial",
                                             "category", "temperature", "trajectory", "split")}
    for ti, (spec, frames) in enumerate(zip(specs, results)):
        split = assign_splits(len(frames), args.block if not args.smoke else 2, rng)
        for f, sp in zip(frames, split):
            cols["n_atoms"].append(len(f["positions"]))
            cols["cell"].append(f["cell"])
            cols["positions"].append(f["positions"])
            cols["forces"].append(f["forces"])
            cols["energy"].append(f["energy"])
            cols["virial"].append(f["virial"])
            cols["category"].append(categories.index(spec["category"]))
            cols["temperature"].append(spec["temperature"])
            cols["trajectory"].append(ti)
            cols["split"].append(sp)
    n_atoms = np.array(cols["n_atoms"], dtype=np.int32)
    split = np.array(cols["split"], dtype=np.int8)
    meta = dict(
        format="md-workbench-gnn-dataset", version=1, elements=["Cu"], units={"length": "Å", "energy": "eV"},
        reference=f"LAMMPS ({lammps_version()}) pair_style eam/alloy {args.potential}",
        potentialFile=str(potential), potentialSha256=hashlib.sha256(potential.read_bytes()).hexdigest(),
        categories=categories, trajectories=[{k: s[k] for k in ("name", "category", "temperature", "frames",
                                                                 "every", "equil")} for s in specs],
        timestep_ps=TIMESTEP, thermostat="fix nvt (Nose-Hoover), Tdamp 0.1 ps", splitBlock=args.block,
        splits={name: int((split == k).sum()) for k, name in enumerate(SPLITS)}, seed=args.seed,
        virial="W = -dE/d(strain), xx yy zz xy xz yz, eV", code=f"tools/gnn/make_dataset.py @ {git_commit()}",
        date=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), smoke=args.smoke,
    )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        args.output, meta=np.array(json.dumps(meta)), n_atoms=n_atoms, cell=np.array(cols["cell"]),
        positions=np.concatenate(cols["positions"]), forces=np.concatenate(cols["forces"]),
        types=np.zeros(int(n_atoms.sum()), dtype=np.int8), energy=np.array(cols["energy"]),
        virial=np.array(cols["virial"]), category=np.array(cols["category"], dtype=np.int8),
        temperature=np.array(cols["temperature"], dtype=np.float32),
        trajectory=np.array(cols["trajectory"], dtype=np.int16), split=split)
    size = args.output.stat().st_size
    print(f"{args.output}: {len(n_atoms)} frames, {int(n_atoms.sum())} atoms "
          f"({n_atoms.min()}-{n_atoms.max()} per frame), splits {meta['splits']}, "
          f"{size / 1e6:.2f} MB, {time.time() - t0:.0f} s")
    for k, c in enumerate(categories):
        m = np.array(cols["category"]) == k
        print(f"  {c:14s} {int(m.sum()):5d} frames")
    return 0


def lammps_version() -> str:
    r = subprocess.run(["lmp", "-h"], capture_output=True, text=True)
    for line in r.stdout.splitlines():
        if "Large-scale Atomic/Molecular" in line:
            return line.split(" - ", 1)[-1].strip()
    return "unknown version"


if __name__ == "__main__":
    sys.exit(main())
