// SPDX-License-Identifier: Apache-2.0
// A shared object for the host (x86-64): a well-formed ELF of the wrong
// machine, which the code-object reader must refuse by name.
int codeobj_host_function(int x) { return x + 1; }
