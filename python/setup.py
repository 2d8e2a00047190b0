"""Build of the smoothkit package: compiles the SmoothKit C library and ships it inside.

`pip install ./python` (from a SmoothKit clone) runs `build_py`, which compiles every C source
of the library (CKernels/**/*.c) with clang at -O2 — no instruction-set flags: the kernels
carry per-function target attributes and pick their path at run time — and links them into
smoothkit/libsmoothkit.so, which the package loads with ctypes.

Environment:
  SMOOTHKIT_SOURCE  the SmoothKit checkout to build (default: the parent of this directory)
  SMOOTHKIT_CC      the C compiler (default: the Swift toolchain's clang, else clang on PATH)
"""
import os
import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.dist import Distribution

HERE = Path(__file__).resolve().parent
LIBRARY = "libsmoothkit.so"


def source_root() -> Path:
    root = Path(os.environ.get("SMOOTHKIT_SOURCE", HERE.parent)).resolve()
    if not (root / "CKernels" / "include" / "smoothkit.h").is_file():
        raise SystemExit(
            f"smoothkit: no SmoothKit sources at {root} (CKernels/include/smoothkit.h). Install from a "
            "SmoothKit clone with `pip install ./python`, or set SMOOTHKIT_SOURCE to the checkout.")
    return root


def library_version(root: Path) -> str:
    header = (root / "CKernels" / "include" / "smoothkit.h").read_text()
    part = {name: re.search(rf"^#define SMK_VERSION_{name} (\d+)", header, re.M) for name in ("MAJOR", "MINOR", "PATCH")}
    return ".".join(m.group(1) if m else "0" for m in part.values())


def find_clang() -> str:
    """SMOOTHKIT_CC, else the clang beside `swift` (as scripts/lib/cbuild.sh), else clang."""
    if os.environ.get("SMOOTHKIT_CC"):
        return os.environ["SMOOTHKIT_CC"]
    swift = shutil.which("swift")
    if swift:
        beside = Path(os.path.realpath(swift)).parent / "clang"
        if os.access(beside, os.X_OK):
            return str(beside)
    clang = shutil.which("clang")
    if clang:
        return clang
    raise SystemExit("smoothkit: the C kernels need clang: install the Swift toolchain or `apt install clang`, "
                     "or set SMOOTHKIT_CC")


def ensure_system_deps(root: Path) -> None:
    """OpenBLAS, LAPACKE and pkg-config, installed with apt when missing (scripts/lib/ensure-deps.sh)."""
    subprocess.run(["bash", "-c", 'source "$1" && smk_ensure_deps', "bash",
                    str(root / "scripts" / "lib" / "ensure-deps.sh")], check=True)


def pkg_config(*args: str) -> list:
    return subprocess.run(["pkg-config", *args, "openblas", "lapacke"], check=True, capture_output=True,
                          text=True).stdout.split()


def build_library(root: Path, output: Path) -> None:
    ensure_system_deps(root)
    cc = find_clang()
    # kernels/<isa>.c first: each instantiates every kernel and takes most of the build time
    sources = sorted((root / "CKernels").rglob("*.c"), key=lambda f: (f.parent.name != "kernels", str(f)))
    flags = ["-std=gnu11", "-O2", "-DNDEBUG", "-fPIC", "-I", str(root / "CKernels" / "include"),
             "-I", str(root / "CKernels"), *pkg_config("--cflags")]
    with tempfile.TemporaryDirectory() as objdir:
        objects = [Path(objdir) / f"{i}_{src.stem}.o" for i, src in enumerate(sources)]

        def compile_one(pair):
            src, obj = pair
            subprocess.run([cc, *flags, "-c", str(src), "-o", str(obj)], check=True)

        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            list(pool.map(compile_one, zip(sources, objects)))
        output.parent.mkdir(parents=True, exist_ok=True)
        major = library_version(root).split(".")[0]
        subprocess.run([cc, "-shared", "-o", str(output), f"-Wl,-soname,{LIBRARY}.{major}",
                        *map(str, objects), *pkg_config("--libs"), "-lm"], check=True)


class BuildWithLibrary(build_py):
    """build_py, then compile libsmoothkit.so into the built package."""

    def run(self):
        super().run()
        target = Path(self.build_lib) / "smoothkit" / LIBRARY
        self.announce(f"building {target} from {source_root()}/CKernels", level=2)
        build_library(source_root(), target)


class BinaryDistribution(Distribution):
    """The wheel holds a compiled library: tag it for this platform, not py3-none-any."""

    def has_ext_modules(self):
        return True


setup(
    version=library_version(source_root()),
    cmdclass={"build_py": BuildWithLibrary},
    distclass=BinaryDistribution,
    zip_safe=False,
)
