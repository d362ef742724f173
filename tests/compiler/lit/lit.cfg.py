# SPDX-License-Identifier: Apache-2.0
# lit configuration of tessc's lowering tests: each .cu file here has RUN
# lines that compile it and FileCheck the IR, assembly or messages.
import os
import lit.formats

config.name = "tessc"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".cu"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(os.path.dirname(config.tessc), "..", "..", "tests", "compiler", "lit-out")
config.substitutions.append(("%tessc", config.tessc))
config.substitutions.append(("%FileCheck", os.path.join(config.llvm_tools, "FileCheck")))
config.substitutions.append(("%not", os.path.join(config.llvm_tools, "not")))
config.substitutions.append(("%objdump", os.path.join(config.llvm_tools, "llvm-objdump")))
config.substitutions.append(("%readelf", os.path.join(config.llvm_tools, "llvm-readelf")))
config.substitutions.append(("%dwarfdump", os.path.join(config.llvm_tools, "llvm-dwarfdump")))
config.environment["LC_ALL"] = "C"
