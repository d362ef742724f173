#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks Tessera's CUDA device headers against real kernel files.

Each tests/compiler/kernels/*.cu must compile (C++14 and C++17) with Clang's
CUDA device front end as tessc drives it, to IR without inline assembly that
calls only LLVM intrinsics, the __tessera_activemask hook, functions defined
in the module, and functions the kernels' libraries define (picolibc, libgcc,
libtessera-device.a: their symbol tables are read with llvm-nm). Each
tests/compiler/errors/*.cu must fail, printing the text of its
`// EXPECT-ERROR: <text>` line(s).
"""
import argparse
import concurrent.futures
import os
import pathlib
import re
import subprocess
import sys

STANDARDS = ["c++14", "c++17"]


def library_symbols(nm, libs):
    symbols = set()
    for lib in libs:
        if not pathlib.Path(lib).is_file():
            sys.exit(f"missing library {lib} (build the tessera_device_lib target first)")
        out = subprocess.run([nm, "--defined-only", "--format=just-symbols", lib],
                             check=True, capture_output=True, text=True).stdout
        symbols.update(line.strip() for line in out.splitlines() if line.strip())
    return symbols


def compile_cu(args, path, std):
    cmd = [args.clang, "-x", "cuda", "--cuda-device-only", "-nocudainc", "-nocudalib",
           "--cuda-gpu-arch=sm_70",
           # as tessc: no dependence on a CUDA installation on this machine
           "--cuda-path=/nonexistent/tessera-no-cuda", "--cuda-feature=+ptx78", f"-std={std}", "-O2", "-emit-llvm", "-S",
           "-Wno-unknown-cuda-version", "-isystem", args.headers,
           "-include", "tessera_device.h", str(path), "-o", "-"]
    return subprocess.run(cmd, capture_output=True, text=True)


def check_ir(ir, allowed_external):
    problems = []
    if re.search(r"\b(?:call|invoke)\b[^\n]*\basm\b|^module asm", ir, re.M):
        problems.append("inline assembly")
    defined = set(re.findall(r"^define [^@]*@\"?([^\"(\s]+)\"?\(", ir, re.M))
    called = set(re.findall(r"\b(?:call|invoke)\b[^@]*@\"?([^\"(\s]+)\"?\(", ir))
    for name in sorted(called - defined):
        if name.startswith("llvm.") or name == "__tessera_activemask":
            continue
        if name not in allowed_external:
            problems.append(f"call to {name}, which no kernel library defines")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clang", required=True)
    parser.add_argument("--nm", required=True)
    parser.add_argument("--headers", required=True)
    parser.add_argument("--kernels", required=True)
    parser.add_argument("--errors", required=True)
    parser.add_argument("--libs", nargs="+", required=True)
    args = parser.parse_args()

    allowed = library_symbols(args.nm, args.libs)
    failures = 0
    kernels = sorted(pathlib.Path(args.kernels).glob("*.cu"))
    errors = sorted(pathlib.Path(args.errors).glob("*.cu"))
    if not kernels or not errors:
        sys.exit("no kernel or error files found")

    # Compile everything first, in parallel (the compiler runs in subprocesses).
    jobs = [(path, std) for path in kernels for std in STANDARDS] + [(path, "c++17") for path in errors]
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = dict(zip(jobs, pool.map(lambda job: compile_cu(args, *job), jobs)))

    for path in kernels:
        for std in STANDARDS:
            result = results[(path, std)]
            if result.returncode != 0:
                print(f"FAIL {path.name} ({std}): does not compile\n{result.stderr}")
                failures += 1
                continue
            if "define" not in result.stdout:
                print(f"FAIL {path.name} ({std}): no functions in the IR")
                failures += 1
                continue
            problems = check_ir(result.stdout, allowed)
            for problem in problems:
                print(f"FAIL {path.name} ({std}): {problem}")
            failures += len(problems)
            if not problems:
                print(f"ok   {path.name} ({std})")

    for path in errors:
        expected = re.findall(r"//\s*EXPECT-ERROR:\s*(.+?)\s*$", path.read_text(), re.M)
        if not expected:
            print(f"FAIL {path.name}: no EXPECT-ERROR line")
            failures += 1
            continue
        result = results[(path, "c++17")]
        missing = [text for text in expected if text not in result.stderr]
        if result.returncode == 0 or missing or "error" not in result.stderr:
            print(f"FAIL {path.name}: expected an error with {missing or expected}\n{result.stderr}")
            failures += 1
        else:
            print(f"ok   {path.name} (fails as expected)")

    print(f"{failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
