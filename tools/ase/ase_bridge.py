#!/usr/bin/python3
"""ASE as an independent reference for md-workbench (DESIGN §9): FIRE relaxations and velocity
Verlet trajectories under ASE's own Lennard-Jones calculator.

Reads one JSON request on stdin and writes one JSON answer on stdout. Units at the interface are the
workbench's (ASE's, with time in fs): Å, eV, amu, fs, velocities in Å/fs. ASE's internal time unit
is Å·sqrt(amu/eV) = 1/ase.units.fs fs (10.1805 fs); this script converts.

Requests (`task` picks one):

  {"task": "fire", "systems": [SYSTEM, ...], "lj": LJ,
   "fire": {"dt": fs, "dtmax": fs, "maxstep": Å, "fmax": eV/Å, "steps": N,
            "masses": "ignore"}, "positions": true}
    ASE's FIRE (ase.optimize.FIRE, massless: v += dt·F) on each system from its positions. dt and
    dtmax are given in fs and converted to ASE time units; they are what a mass-weighted FIRE with
    masses of 1 amu would use. Answer: {"systems": [{"energy", "steps", "converged", "fmax",
    "positions"?}], "seconds": wall time of the relaxations alone, "ase": version}.

  {"task": "verlet", "system": SYSTEM (with "velocities" in Å/fs), "lj": LJ, "dt": fs, "steps": N}
    ase.md.verlet.VelocityVerlet for `steps` steps. Answer: {"positions" (unwrapped, Å),
    "velocities" (Å/fs), "energy" (eV), "ase": version}.

SYSTEM = {"positions": [x0, y0, z0, x1, ...] (Å), "cell": [9 numbers, rows a, b, c] (Å),
          "pbc": [3 booleans], "masses": [...] (amu, optional), "velocities": [...] (Å/fs, optional)}
LJ = {"epsilon": eV, "sigma": Å, "cutoff": Å}: ase.calculators.lj.LennardJones(rc=cutoff,
     smooth=False), which in ASE 3.22 shifts every pair energy by −V(rc) inside the cutoff
     (the workbench's `shift: true`); forces are plain LJ, cut at rc.
"""

import json
import sys
import time

import ase
import numpy as np
from ase import Atoms, units
from ase.calculators.lj import LennardJones
from ase.md.verlet import VelocityVerlet
from ase.optimize import FIRE


def make_atoms(system, lj):
    positions = np.asarray(system["positions"], dtype=float).reshape(-1, 3)
    atoms = Atoms(
        "Ar%d" % len(positions),
        positions=positions,
        cell=np.asarray(system["cell"], dtype=float).reshape(3, 3),
        pbc=[bool(p) for p in system["pbc"]],
    )
    if system.get("masses") is not None:
        atoms.set_masses(np.asarray(system["masses"], dtype=float))
    if system.get("velocities") is not None:
        v = np.asarray(system["velocities"], dtype=float).reshape(-1, 3)
        atoms.set_velocities(v / units.fs)  # Å/fs → Å per ASE time unit
    atoms.calc = LennardJones(
        epsilon=lj["epsilon"], sigma=lj["sigma"], rc=lj["cutoff"], smooth=False
    )
    return atoms


def max_force(atoms):
    f = atoms.get_forces()
    return float(np.sqrt((f**2).sum(axis=1).max())) if len(f) else 0.0


def fire(request):
    p = request["fire"]
    want_positions = bool(request.get("positions", True))
    all_atoms = [make_atoms(s, request["lj"]) for s in request["systems"]]
    out = []
    start = time.perf_counter()
    for atoms in all_atoms:
        opt = FIRE(
            atoms,
            logfile=None,
            dt=p["dt"] * units.fs,
            dtmax=p["dtmax"] * units.fs,
            maxstep=p["maxstep"],
        )
        converged = bool(opt.run(fmax=p["fmax"], steps=p["steps"]))
        row = {
            "energy": float(atoms.get_potential_energy()),
            "steps": int(opt.nsteps),
            "converged": converged,
            "fmax": max_force(atoms),
        }
        if want_positions:
            row["positions"] = atoms.get_positions().ravel().tolist()
        out.append(row)
    seconds = time.perf_counter() - start
    return {"systems": out, "seconds": seconds, "ase": ase.__version__}


def verlet(request):
    atoms = make_atoms(request["system"], request["lj"])
    dyn = VelocityVerlet(atoms, timestep=request["dt"] * units.fs, logfile=None)
    dyn.run(int(request["steps"]))
    return {
        "positions": atoms.get_positions().ravel().tolist(),
        "velocities": (atoms.get_velocities() * units.fs).ravel().tolist(),
        "energy": float(atoms.get_potential_energy()),
        "ase": ase.__version__,
    }


def main():
    request = json.load(sys.stdin)
    task = request.get("task")
    if task == "fire":
        answer = fire(request)
    elif task == "verlet":
        answer = verlet(request)
    else:
        raise SystemExit("unknown task %r (fire or verlet)" % (task,))
    json.dump(answer, sys.stdout)


if __name__ == "__main__":
    main()
