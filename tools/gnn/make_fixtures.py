"""Parity fixtures for the TypeScript GNN (src/engine/reference/gnnParity.test.ts and, later, the WGSL
kernels): a small random model and three configurations evaluated by the PyTorch model in float64.

    /usr/bin/python3 tools/gnn/make_fixtures.py     # needs python3-torch (Debian) and numpy

Writes src/engine/reference/fixtures/gnn/{random-cuag.json, random-cuag.safetensors, configurations.json},
then lets the repository's formatter (`npx biome format --write`) lay out the JSON.
"""
from __future__ import annotations

import datetime
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).parent))
from export import export_model, load_model  # noqa: E402
from model import FORMAT, VERSION, GnnModel  # noqa: E402

OUT = Path(__file__).resolve().parents[2] / "src/engine/reference/fixtures/gnn"

CONFIG = {
    "format": FORMAT,
    "version": VERSION,
    "elements": ["Cu", "Ag"],
    "rcut": 4.0,
    "rcutSmooth": 3.0,
    "sel": 32,
    "nDim": 8,
    "eDim": 4,
    "nLayers": 2,
    "nBasis": 6,
    "hidden": [10],
    "activation": "silu",
    "energyBias": {"Cu": -3.54, "Ag": -2.85},
    "units": {"length": "Å", "energy": "eV"},
    "provenance": {
        "trainingData": "none: random weights (torch.manual_seed(2024), U(-2,2)/sqrt(fan-in)) for parity fixtures",
        "code": "tools/gnn/make_fixtures.py",
        "date": datetime.date.today().isoformat(),
        "metrics": {},
    },
}


def random_model() -> GnnModel:
    torch.manual_seed(2024)
    model = GnnModel(CONFIG).double()
    with torch.no_grad():
        for name, p in model.named_parameters():
            fan_in = p.shape[1] if name.endswith("weight") else (1 if name == "type_embedding" else 4)
            p.copy_((torch.rand(p.shape, dtype=torch.float64) * 2 - 1) * 2 / fan_in**0.5)
    return model


def fcc_with_vacancy(rng):
    a = 3.615
    basis = np.array([[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]])
    pos = np.array([(basis[b] + [i, j, k]) * a for i in range(2) for j in range(2) for k in range(2)
                    for b in range(4)])
    pos = np.delete(pos, 13, axis=0) + rng.normal(0, 0.05, (31, 3))
    return {"name": "Cu fcc 2x2x2 with a vacancy, displaced 0.05 Å", "positions": pos,
            "types": np.zeros(31, dtype=int), "cell": np.diag([2 * a] * 3), "pbc": [True, True, True]}


def strained_triclinic(rng):
    cell = np.array([[3.9, 0, 0], [1.2, 3.7, 0], [-0.8, 0.9, 4.3]])
    frac = []
    while len(frac) < 5:
        f = rng.random(3)
        ok = True
        for g in frac:
            for shift in np.ndindex(3, 3, 3):
                d = (f - g - np.array(shift) + 1) @ cell
                if np.linalg.norm(d) < 1.9:
                    ok = False
        if ok:
            frac.append(f)
    return {"name": "strained triclinic Cu/Ag cell, 5 atoms (|a| < rcut: atoms see their own images)", "positions": np.array(frac) @ cell,
            "types": np.array([0, 1, 0, 0, 1]), "cell": cell, "pbc": [True, True, True]}


def cluster(rng):
    pos = []
    while len(pos) < 7:
        p = rng.uniform(-2.6, 2.6, 3)
        if all(np.linalg.norm(p - q) > 2.1 for q in pos):
            pos.append(p)
    return {"name": "Cu/Ag cluster of 7 atoms, open boundaries", "positions": np.array(pos) + 10,
            "types": np.array([0, 1, 1, 0, 0, 1, 0]), "cell": np.diag([20.0] * 3), "pbc": [False, False, False]}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    export_model(random_model(), OUT / "random-cuag")
    model = load_model(OUT / "random-cuag")  # evaluate what the file holds
    rng = np.random.default_rng(7)
    cases = []
    for make in (fcc_with_vacancy, strained_triclinic, cluster):
        c = make(rng)
        r = model.evaluate(c["positions"], c["types"], c["cell"], np.array(c["pbc"]))
        assert r["truncatedAtoms"] == 0
        cases.append({
            "name": c["name"],
            "positions": c["positions"].reshape(-1).tolist(),
            "types": c["types"].tolist(),
            "cell": np.asarray(c["cell"]).reshape(-1).tolist(),
            "pbc": c["pbc"],
            "energy": r["energy"],
            "energies": r["energies"].tolist(),
            "forces": r["forces"].reshape(-1).tolist(),
            "virial": r["virial"].reshape(-1).tolist(),
            "atomVirial": r["atomVirial"].reshape(-1).tolist(),
        })
        print(f"{c['name']}: E = {r['energy']:.6f} eV, max|F| = {np.abs(r['forces']).max():.4f} eV/Å")
    doc = {
        "model": "random-cuag",
        "units": {"length": "Å", "energy": "eV", "force": "eV/Å", "virial": "eV"},
        "generator": f"tools/gnn/make_fixtures.py, torch {torch.__version__}, float64",
        "conventions": "cell rows a, b, c; virial W_ab = -dE/d(strain_ab); atomVirial xx yy zz xy xz yz",
        "configurations": cases,
    }
    (OUT / "configurations.json").write_text(json.dumps(doc) + "\n")
    # The repository's formatter owns JSON layout (numbers are kept as written).
    subprocess.run(["npx", "biome", "format", "--write", str(OUT)], cwd=OUT.parents[4], check=True)


if __name__ == "__main__":
    main()
