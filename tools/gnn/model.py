"""The message-passing GNN potential of DESIGN §6 in PyTorch: the same architecture, tensor names and
conventions as the f64 TypeScript reference (src/engine/reference/gnn.ts) and the weights format
(docs/gnn-weights.md). Runs in float64 or float32; forces and virials by autograd.

    d_ij = r_j + T - r_i,  r_ij = |d_ij|   (directed edges, nearest `sel` per center, r < rcut)
    s_ij = s(r_ij)                          C2 quintic switch rcutSmooth -> rcut
    e_ij = MLP_embed(phi(r_ij) * s_ij)      Gaussian basis phi_k, mu_k = k rc/(K-1), width rc/(K-1)
    n_i  = typeEmbedding[type_i]
    per layer:  x_ij = [n_i, n_j, e_ij]; m_ij = MLP_msg(x_ij); e_ij += MLP_edge(x_ij) (not last layer)
                n_i += MLP_node([n_i, (1/sel) sum_j s_ij m_ij])
    E_i = MLP_out(n_i) + bias[type_i]

Units: Å, eV. NULL atoms (type -1) have no edges and no energy.
"""
from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

FORMAT = "md-workbench-gnn"
VERSION = 1


class Mlp(nn.Module):
    """Linear layers with SiLU between them (none after the last); names `<k>.weight`, `<k>.bias`."""

    def __init__(self, n_in: int, hidden: list[int], n_out: int):
        super().__init__()
        widths = [n_in, *hidden, n_out]
        self.linears = nn.ModuleList(nn.Linear(widths[k], widths[k + 1]) for k in range(len(widths) - 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for k, lin in enumerate(self.linears):
            x = lin(x)
            if k < len(self.linears) - 1:
                x = torch.nn.functional.silu(x)
        return x


class Layer(nn.Module):
    def __init__(self, n_dim: int, e_dim: int, hidden: list[int], last: bool):
        super().__init__()
        self.message = Mlp(2 * n_dim + e_dim, hidden, n_dim)
        self.node = Mlp(2 * n_dim, hidden, n_dim)
        self.edge = None if last else Mlp(2 * n_dim + e_dim, hidden, e_dim)


def smooth_switch(r: torch.Tensor, rs: float, rc: float) -> torch.Tensor:
    u = ((r - rs) / (rc - rs)).clamp(0.0, 1.0)
    return 1 - u**3 * (10 - 15 * u + 6 * u**2)


def radial_basis(r: torch.Tensor, rc: float, k: int) -> torch.Tensor:
    w = rc / (k - 1)
    mu = torch.arange(k, dtype=r.dtype, device=r.device) * w
    return torch.exp(-(((r[:, None] - mu[None, :]) / w) ** 2))


class GnnModel(nn.Module):
    """The model; `config` is the JSON config of docs/gnn-weights.md."""

    def __init__(self, config: dict):
        super().__init__()
        self.config = config
        c = config
        self.type_embedding = nn.Parameter(torch.zeros(len(c["elements"]), c["nDim"]))
        self.edge_embedding = Mlp(c["nBasis"], c["hidden"], c["eDim"])
        self.layers = nn.ModuleList(
            Layer(c["nDim"], c["eDim"], c["hidden"], l == c["nLayers"] - 1) for l in range(c["nLayers"])
        )
        self.readout = Mlp(c["nDim"], c["hidden"], 1)
        self.register_buffer(
            "energy_bias", torch.tensor([c["energyBias"][e] for e in c["elements"]], dtype=torch.float64)
        )

    def tensors(self) -> dict[str, torch.Tensor]:
        """The tensors under the format's names (`edge_embedding.0.weight`, ...)."""
        out = {}
        for name, p in self.named_parameters():
            out[name.replace(".linears.", ".")] = p.detach()
        return out

    def load_tensors(self, tensors: dict[str, torch.Tensor]) -> None:
        own = dict(self.named_parameters())
        for name, p in own.items():
            with torch.no_grad():
                p.copy_(tensors[name.replace(".linears.", ".")])

    def atom_energies(self, d: torch.Tensor, types: torch.Tensor, center: torch.Tensor,
                      neighbor: torch.Tensor) -> torch.Tensor:
        """Per-atom energies (eV) from edge vectors d (E, 3), types (N,), center/neighbor (E,)."""
        c = self.config
        n_atoms = types.shape[0]
        active = types >= 0
        r = torch.sqrt((d * d).sum(1))
        s = smooth_switch(r, c["rcutSmooth"], c["rcut"])
        e = self.edge_embedding(radial_basis(r, c["rcut"], c["nBasis"]) * s[:, None])
        n = self.type_embedding[types.clamp(min=0)] * active[:, None].to(d.dtype)
        mask = active[:, None].to(d.dtype)
        for layer in self.layers:
            x = torch.cat([n[center], n[neighbor], e], dim=1)
            m = layer.message(x)
            agg = torch.zeros(n_atoms, c["nDim"], dtype=d.dtype, device=d.device).index_add(0, center, s[:, None] * m) / c["sel"]
            if layer.edge is not None:
                e = e + layer.edge(x)
            n = n + layer.node(torch.cat([n, agg], dim=1)) * mask
        bias = self.energy_bias.to(d.dtype)[types.clamp(min=0)]
        return (self.readout(n)[:, 0] + bias) * active.to(d.dtype)

    def evaluate(self, positions: np.ndarray, types: np.ndarray, cell: np.ndarray, pbc: np.ndarray,
                 dtype=torch.float64) -> dict:
        """Energy, per-atom energies, forces (-dE/dr by autograd), virial (W = -dE/d strain) and
        per-atom virial (half of each edge's -g (x) d to each end, xx yy zz xy xz yz) of one system."""
        center, neighbor, shift, truncated = build_edges(positions, types, cell, pbc, self.config["rcut"],
                                                         self.config["sel"])
        pos = torch.tensor(positions, dtype=dtype, requires_grad=True)
        strain = torch.zeros(3, 3, dtype=dtype, requires_grad=True)
        ci = torch.tensor(center, dtype=torch.long)
        ni = torch.tensor(neighbor, dtype=torch.long)
        d0 = pos[ni] + torch.tensor(shift, dtype=dtype) - pos[ci]
        d = d0 + d0 @ strain.T
        model = self.to(dtype)
        energies = model.atom_energies(d, torch.tensor(types, dtype=torch.long), ci, ni)
        energy = energies.sum()
        g_pos, g_strain, g_d = torch.autograd.grad(energy, [pos, strain, d])
        dd = d0.detach()
        w_edge = -torch.stack([g_d[:, 0] * dd[:, 0], g_d[:, 1] * dd[:, 1], g_d[:, 2] * dd[:, 2],
                               g_d[:, 0] * dd[:, 1], g_d[:, 0] * dd[:, 2], g_d[:, 1] * dd[:, 2]], dim=1)
        atom_virial = torch.zeros(len(types), 6, dtype=dtype)
        atom_virial.index_add_(0, ci, 0.5 * w_edge)
        atom_virial.index_add_(0, ni, 0.5 * w_edge)
        return {
            "energy": energy.item(),
            "energies": energies.detach().numpy(),
            "forces": -g_pos.numpy(),
            "virial": -g_strain.numpy(),
            "atomVirial": atom_virial.numpy(),
            "truncatedAtoms": truncated,
        }


def build_edges(positions: np.ndarray, types: np.ndarray, cell: np.ndarray, pbc: np.ndarray, rcut: float,
                sel: int):
    """Directed edges i -> j (periodic images included) with r < rcut, the nearest `sel` per center,
    ties broken by neighbor index then image vector (as src/engine/reference/gnnEdges.ts).
    Returns center, neighbor, shift (cartesian T, Å) and the number of centers that lost neighbors."""
    cell = np.asarray(cell, dtype=np.float64).reshape(3, 3)
    vol = abs(np.linalg.det(cell))
    ranges = []
    for a in range(3):
        if not pbc[a]:
            ranges.append(range(0, 1))
            continue
        h = vol / np.linalg.norm(np.cross(cell[(a + 1) % 3], cell[(a + 2) % 3]))
        k = int(math.ceil(rcut / h)) + 1
        ranges.append(range(-k, k + 1))
    pos = np.asarray(positions, dtype=np.float64)
    active = np.asarray(types) >= 0
    per_center: list[list[tuple]] = [[] for _ in range(len(pos))]
    for na in ranges[0]:
        for nb in ranges[1]:
            for nc in ranges[2]:
                t = na * cell[0] + nb * cell[1] + nc * cell[2]
                d = pos[None, :, :] + t[None, None, :] - pos[:, None, :]
                r = np.sqrt((d * d).sum(2))
                for i, j in zip(*np.nonzero(r < rcut)):
                    if not (active[i] and active[j]) or (i == j and na == 0 and nb == 0 and nc == 0):
                        continue
                    per_center[i].append((r[i, j], j, d[i, j, 0], d[i, j, 1], d[i, j, 2], t))
    center, neighbor, shift = [], [], []
    truncated = 0
    for i, lst in enumerate(per_center):
        lst.sort(key=lambda e: e[:5])
        if len(lst) > sel:
            truncated += 1
            lst = lst[:sel]
        for e in lst:
            center.append(i)
            neighbor.append(e[1])
            shift.append(e[5])
    return (np.array(center, dtype=np.int64), np.array(neighbor, dtype=np.int64),
            np.array(shift, dtype=np.float64).reshape(-1, 3), truncated)
