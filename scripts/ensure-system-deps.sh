#!/usr/bin/env bash
# Installs the system programs the test suite drives, from Debian's packages, when they are missing:
#   chromium       headless browser with software WebGPU (SwiftShader) for GPU and e2e tests
#   lammps         independent reference for the potentials (lmp)
#   python3-ase    independent reference for optimisers and file formats
#   libvulkan1     Vulkan loader, so Dawn for Node (the CLI's dawn backend) can use Chromium's SwiftShader
# Needs root (or passwordless sudo) and apt-get; otherwise it says exactly what to install.
set -euo pipefail

missing=()
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
command -v lmp >/dev/null 2>&1 || missing+=(lammps lammps-data)
/usr/bin/python3 -c 'import ase' >/dev/null 2>&1 || missing+=(python3-ase)
ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1 ' || missing+=(libvulkan1)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "ensure-system-deps: installing ${missing[*]} with apt-get" >&2
sudo=''
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo='sudo -n'; else
    echo "ensure-system-deps: missing ${missing[*]}. Install them as root: apt-get install -y ${missing[*]}" >&2
    echo "  (or point CHROMIUM_PATH at a Chromium ≥ 120 with WebGPU)" >&2
    exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-system-deps: no apt-get here; install ${missing[*]} with your package manager" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "ensure-system-deps: installed ${missing[*]}" >&2
