// SPDX-License-Identifier: Apache-2.0
// Tessera device headers: CUDA's atomic functions.
//
// CUDA atomics are relaxed (ordering comes from __threadfence), so each is a
// __ATOMIC_RELAXED builtin: RV64A does integer add/and/or/xor/min/max/exchange
// in one AMO and float add, 16-bit CAS and the rest in an LR/SC loop, on
// device memory and shared memory alike. atomicInc/atomicDec have no AMO and
// use a CAS loop. Every function also exists with the _block and _system
// suffixes (narrower/wider scope): one coherent memory serves all scopes here.
#ifndef TESSERA_DEVICE_ATOMICS_H
#define TESSERA_DEVICE_ATOMICS_H

#include "host_device.h"

// Defines name, name_block and name_system with the same body.
// clang-format off
#define __TESSERA_ATOMIC(ret, name, params, body)                                                  \
  __TESSERA_D ret name params body                                                                 \
  __TESSERA_D ret name##_block params body                                                         \
  __TESSERA_D ret name##_system params body
// clang-format on

#define __TESSERA_ATOMIC_RMW(name, builtin, T)                                                     \
  __TESSERA_ATOMIC(T, name, (T * address, T val),                                                  \
                   { return builtin(address, val, __ATOMIC_RELAXED); })

__TESSERA_ATOMIC_RMW(atomicAdd, __atomic_fetch_add, int)
__TESSERA_ATOMIC_RMW(atomicAdd, __atomic_fetch_add, unsigned int)
__TESSERA_ATOMIC_RMW(atomicAdd, __atomic_fetch_add, unsigned long long int)
__TESSERA_ATOMIC_RMW(atomicAdd, __atomic_fetch_add, float)
__TESSERA_ATOMIC_RMW(atomicAdd, __atomic_fetch_add, double)

__TESSERA_ATOMIC_RMW(atomicSub, __atomic_fetch_sub, int)
__TESSERA_ATOMIC_RMW(atomicSub, __atomic_fetch_sub, unsigned int)

__TESSERA_ATOMIC_RMW(atomicExch, __atomic_exchange_n, int)
__TESSERA_ATOMIC_RMW(atomicExch, __atomic_exchange_n, unsigned int)
__TESSERA_ATOMIC_RMW(atomicExch, __atomic_exchange_n, unsigned long long int)
// __atomic_exchange_n takes integers and pointers only.
__TESSERA_ATOMIC(float, atomicExch, (float* address, float val), {
  float old;
  __atomic_exchange(address, &val, &old, __ATOMIC_RELAXED);
  return old;
})

__TESSERA_ATOMIC_RMW(atomicMin, __atomic_fetch_min, int)
__TESSERA_ATOMIC_RMW(atomicMin, __atomic_fetch_min, unsigned int)
__TESSERA_ATOMIC_RMW(atomicMin, __atomic_fetch_min, long long int)
__TESSERA_ATOMIC_RMW(atomicMin, __atomic_fetch_min, unsigned long long int)
__TESSERA_ATOMIC_RMW(atomicMax, __atomic_fetch_max, int)
__TESSERA_ATOMIC_RMW(atomicMax, __atomic_fetch_max, unsigned int)
__TESSERA_ATOMIC_RMW(atomicMax, __atomic_fetch_max, long long int)
__TESSERA_ATOMIC_RMW(atomicMax, __atomic_fetch_max, unsigned long long int)

__TESSERA_ATOMIC_RMW(atomicAnd, __atomic_fetch_and, int)
__TESSERA_ATOMIC_RMW(atomicAnd, __atomic_fetch_and, unsigned int)
__TESSERA_ATOMIC_RMW(atomicAnd, __atomic_fetch_and, unsigned long long int)
__TESSERA_ATOMIC_RMW(atomicOr, __atomic_fetch_or, int)
__TESSERA_ATOMIC_RMW(atomicOr, __atomic_fetch_or, unsigned int)
__TESSERA_ATOMIC_RMW(atomicOr, __atomic_fetch_or, unsigned long long int)
__TESSERA_ATOMIC_RMW(atomicXor, __atomic_fetch_xor, int)
__TESSERA_ATOMIC_RMW(atomicXor, __atomic_fetch_xor, unsigned int)
__TESSERA_ATOMIC_RMW(atomicXor, __atomic_fetch_xor, unsigned long long int)

// Stores val where *address == compare; returns the old value either way.
#define __TESSERA_ATOMIC_CAS(T)                                                                    \
  __TESSERA_ATOMIC(T, atomicCAS, (T * address, T compare, T val), {                                \
    __atomic_compare_exchange_n(address, &compare, val, false, __ATOMIC_RELAXED,                   \
                                __ATOMIC_RELAXED);                                                 \
    return compare;                                                                                \
  })
__TESSERA_ATOMIC_CAS(int)
__TESSERA_ATOMIC_CAS(unsigned int)
__TESSERA_ATOMIC_CAS(unsigned long long int)
__TESSERA_ATOMIC_CAS(unsigned short int)
#undef __TESSERA_ATOMIC_CAS

// Replaces *address by next(old) atomically; returns old.
template <typename T, typename Next> __TESSERA_D T __tessera_atomic_update(T* address, Next next) {
  T old = __atomic_load_n(address, __ATOMIC_RELAXED);
  while (!__atomic_compare_exchange_n(address, &old, next(old), true, __ATOMIC_RELAXED,
                                      __ATOMIC_RELAXED)) {
  }
  return old;
}

// ((old >= val) ? 0 : old + 1): a counter wrapping after val.
__TESSERA_ATOMIC(unsigned int, atomicInc, (unsigned int* address, unsigned int val), {
  return __tessera_atomic_update(address,
                                 [val](unsigned int old) { return old >= val ? 0u : old + 1u; });
})
// ((old == 0 || old > val) ? val : old - 1): counting down, wrapping to val.
__TESSERA_ATOMIC(unsigned int, atomicDec, (unsigned int* address, unsigned int val), {
  return __tessera_atomic_update(
      address, [val](unsigned int old) { return (old == 0u || old > val) ? val : old - 1u; });
})

#undef __TESSERA_ATOMIC_RMW
#undef __TESSERA_ATOMIC

#endif // TESSERA_DEVICE_ATOMICS_H
