"""The protocol between the Java benchmark commands and their Python peers, and what the peer reports about
itself so a reader can check the comparison was fair.

The Java side starts the peer with a fair environment (bench/.../fair/PeerEnvironment.java) and drives it one
JSON object per line on stdin; the peer answers one JSON object per line on stdout:
  {"cmd": "info"}                  -> {"torch", "numpy", "threads", "blas_core", "blas_library", "malloc_env", ...}
  {"cmd": "setup", "case": {...}}  -> {"ok": true}       (builds the case; the script's own setup function)
  {"cmd": "time", "reps": n}       -> {"seconds": s}     (mean seconds per call over n back-to-back calls)
  {"cmd": "rss"}                   -> {"vmhwm_mib", "vmrss_mib", "baseline_mib"}  (whole-process resident memory)
  {"cmd": "quit"}                  -> (exits)
Any failure answers {"error": "..."} and the Java side stops with that message. The Java side decides warm-up,
alternation and statistics (one rule for the engine and the peers), so the peer only runs what it is asked.
"""
import ctypes
import json
import os
import re
import sys
import time

BASELINE_KIB = None


def status_kib(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def mark_baseline():
    """Resident memory once the runtime and libraries are loaded, before any case: the interpreter's share."""
    global BASELINE_KIB
    BASELINE_KIB = status_kib("VmRSS")


def _loaded_blas_libraries():
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if ".so" in line}
    except OSError:
        return []
    return sorted(lib for lib in libs
                  if "openblas" in os.path.basename(lib) or os.path.basename(lib).startswith("libblas") or "mkl" in os.path.basename(lib))


_CORENAME = ("openblas_get_corename", "openblas_get_corename64_", "scipy_openblas_get_corename",
             "scipy_openblas_get_corename64_")


def _openblas(lib):
    """(library, kernel name) when this loaded library is an OpenBLAS that names its kernel, else None."""
    try:
        dll = ctypes.CDLL(lib)
    except OSError:
        return None
    for name in _CORENAME:
        f = getattr(dll, name, None)
        if f is not None:
            f.restype = ctypes.c_char_p
            return os.path.realpath(lib), f().decode()
    return None


def blas_library():
    """Path of the BLAS library loaded in this process (Debian switches it through alternatives; a pip numpy
    brings its own)."""
    libs = _loaded_blas_libraries()
    for lib in libs:
        found = _openblas(lib)
        if found:
            return found[0]
    return os.path.realpath(libs[0]) if libs else None


def blas_core():
    """The kernel set OpenBLAS chose at load time (e.g. Cooperlake, SkylakeX, Haswell), asked of OpenBLAS itself."""
    libs = _loaded_blas_libraries()
    for lib in libs:
        found = _openblas(lib)
        if found:
            return found[1]
    return "not OpenBLAS" if libs else "no BLAS loaded"


def torch_info(torch):
    """Version, threads, the BLAS torch was built against and the SIMD level of its own (ATen) kernels."""
    show = torch.__config__.show()
    blas = re.search(r"BLAS_INFO=(\w+)", show)
    cap = re.search(r"CPU capability usage: (\w+)", show)
    return {"torch": torch.__version__, "threads": torch.get_num_threads(),
            "torch_blas_info": blas.group(1) if blas else None, "torch_cpu_capability": cap.group(1) if cap else None}


def info(extra):
    out = {"blas_library": blas_library(), "blas_core": blas_core(),
           "openblas_coretype_env": os.environ.get("OPENBLAS_CORETYPE"),
           "malloc_env": sorted(k for k in os.environ if k.startswith("MALLOC_")),
           "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY")}
    out.update(extra)
    return out


def serve(setup, describe):
    """Runs the protocol. setup(case) returns the zero-argument function one timed call runs; describe() gives
    the info fields of this peer (versions, threads)."""
    step = None
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            msg = json.loads(line)
            cmd = msg["cmd"]
            if cmd == "quit":
                return
            if cmd == "info":
                reply = info(describe())
            elif cmd == "setup":
                step = None
                step = setup(msg["case"])
                reply = {"ok": True}
            elif cmd == "time":
                if step is None:
                    raise ValueError("'time' before a successful 'setup'")
                reps = int(msg.get("reps", 1))
                t0 = time.perf_counter()
                for _ in range(reps):
                    step()
                reply = {"seconds": (time.perf_counter() - t0) / reps}
            elif cmd == "rss":
                reply = {"vmhwm_mib": status_kib("VmHWM") / 1024.0, "vmrss_mib": status_kib("VmRSS") / 1024.0,
                         "baseline_mib": None if BASELINE_KIB is None else BASELINE_KIB / 1024.0}
            else:
                raise ValueError("unknown command " + repr(cmd))
        except Exception as e:  # the Java side reports it and stops; nothing passes silently
            reply = {"error": "%s: %s" % (type(e).__name__, e)}
        print(json.dumps(reply), flush=True)
