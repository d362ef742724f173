/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file tessera.h
 * @brief The Tessera runtime API (`libtessera`).
 *
 * A C API shaped after the CUDA runtime and driver APIs so that porting host
 * code is mostly renaming: `cudaMalloc` -> tsMalloc, `cudaStreamCreate` ->
 * tsStreamCreate, `cuModuleLoadData` -> tsModuleLoadData, `cuLaunchKernel` /
 * `cudaLaunchKernel` -> tsLaunchKernel. docs/porting-guide.md has the full
 * name table and the differences that remain.
 *
 * Conventions:
 *  - Enumerations end with a *MaxEnum value so that they have the size and
 *    range of an int: an out-of-range value passed by a caller is an error
 *    the runtime reports, not undefined behaviour.
 *  - Every function returns a tsError_t. A failing call changes nothing
 *    (nothing is enqueued, no handle is created, output arguments are left
 *    alone) and records its error as this host thread's last error
 *    (tsGetLastError, tsGetLastErrorMessage).
 *  - Errors of asynchronous work (a kernel that faults, a copy that hits
 *    unmapped memory, the watchdog) are reported by the next synchronizing
 *    call on the stream that ran it, and by tsDeviceSynchronize. The stream
 *    then stays in that error until it is destroyed or the device is reset;
 *    other streams and devices are unaffected.
 *  - Device pointers are plain pointers in one address space shared by every
 *    device and the host (unified addressing): the runtime can tell which
 *    device, if any, a pointer belongs to. Device pointers must not be
 *    dereferenced on the host; pointers from tsMallocHost may be used on the
 *    host and in kernels of every device.
 *  - Every function may be called from any host thread. The current device
 *    (tsSetDevice) is per host thread and starts at 0.
 */
#ifndef TESSERA_TESSERA_H
#define TESSERA_TESSERA_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Version of this API: major * 1000 + minor * 10 (as CUDART_VERSION). */
#define TESSERA_VERSION 1000

/* ====================================================================== */
/** @name Errors */
/* ====================================================================== */

/** Result of every runtime call. Values are stable across versions. */
typedef enum tsError {
  tsSuccess = 0,
  tsErrorInvalidValue = 1,            /**< an argument is out of range or null */
  tsErrorMemoryAllocation = 2,        /**< out of device (or page-locked host) memory */
  tsErrorInitializationError = 3,     /**< the backend could not be started */
  tsErrorInvalidConfiguration = 9,    /**< bad grid/block shape or too much shared memory */
  tsErrorInvalidPitchValue = 12,
  tsErrorInvalidDevicePointer = 17,   /**< not a pointer returned by tsMalloc (or freed) */
  tsErrorInvalidMemcpyDirection = 21, /**< kind contradicts the pointers */
  tsErrorNoDevice = 100,              /**< no device is visible */
  tsErrorInvalidDevice = 101,         /**< device ordinal out of range */
  tsErrorInvalidImage = 200,          /**< malformed code object */
  tsErrorInvalidResourceHandle = 400, /**< unknown, destroyed or foreign handle */
  tsErrorNotFound = 500,              /**< named kernel or global not in the module */
  tsErrorNotReady = 600,              /**< queried work has not completed (not a failure) */
  tsErrorIllegalAddress = 700,        /**< a kernel or copy accessed unmapped memory */
  tsErrorLaunchOutOfResources = 701,  /**< block too large for the kernel, or stack too big */
  tsErrorLaunchTimeout = 702,         /**< the watchdog stopped a kernel */
  tsErrorPeerAccessAlreadyEnabled = 704,
  tsErrorPeerAccessNotEnabled = 705,
  tsErrorAssert = 710,                /**< a kernel executed assert()/__trap() */
  tsErrorIllegalInstruction = 715,
  tsErrorMisalignedAddress = 716,
  tsErrorInvalidPc = 718,             /**< a kernel jumped to non-executable memory */
  tsErrorLaunchFailure = 719,         /**< any other kernel or packet failure */
  tsErrorPeerAccessUnsupported = 217, /**< the devices are not linked */
  tsErrorIncompatibleVersion = 35,    /**< device, backend or code object of an unsupported version */
  tsErrorNotSupported = 801,
  tsErrorDeviceLost = 999,            /**< the device (or emulator process) went away */
  tsErrorUnknown = 30,
  tsErrorMaxEnum = 0x7FFFFFFF /**< not an error: makes every int value representable */
} tsError_t;

/** The enumerator's name, e.g. "tsErrorInvalidValue". Never NULL. */
const char* tsGetErrorName(tsError_t error);
/** A one-line description of the error code. Never NULL. */
const char* tsGetErrorString(tsError_t error);
/** Returns this thread's last error and resets it to tsSuccess. */
tsError_t tsGetLastError(void);
/** Returns this thread's last error without resetting it. */
tsError_t tsPeekAtLastError(void);
/**
 * The detailed message of this thread's last error: which argument was
 * wrong, or for a kernel fault the kernel, block, thread, PC, source line
 * (code objects built with -g), address and access kind. Valid until the
 * next runtime call on this thread; "" when there is no last error
 * (tsGetLastError clears the message with the error).
 */
const char* tsGetLastErrorMessage(void);

/* ====================================================================== */
/** @name Versions */
/* ====================================================================== */

/** TESSERA_VERSION of the library in use. */
tsError_t tsRuntimeGetVersion(int* version);
/** Version of the backend (emulator library or kernel driver), same encoding. */
tsError_t tsDriverGetVersion(int* version);

/** Versions of every layer, for logs and bug reports. */
typedef struct tsVersionInfo {
  int runtime;                /**< TESSERA_VERSION */
  int backend;                /**< backend interface version */
  uint32_t hw_interface;      /**< T1 interface version in use (major << 16 | minor) */
  uint32_t hw_interface_device; /**< what the device speaks */
  uint32_t codeobj_supported; /**< code-object note version read (major << 16 | minor) */
  char backend_name[16];      /**< "emu" or "drm" */
  char emulator[64];          /**< emulator build, "" on silicon */
} tsVersionInfo;
tsError_t tsGetVersionInfo(int device, tsVersionInfo* info);

/* ====================================================================== */
/** @name Devices */
/* ====================================================================== */

typedef enum tsPlatform { tsPlatformEmulator = 0, tsPlatformSilicon = 1, tsPlatformMaxEnum = 0x7FFFFFFF } tsPlatform;

/** What tsGetDeviceProperties reports (named as in cudaDeviceProp). */
typedef struct tsDeviceProp {
  char name[256];              /**< e.g. "Tessera T1 (emulated)" */
  size_t totalGlobalMem;       /**< device memory, bytes */
  size_t sharedMemPerBlock;    /**< scratchpad per tile, bytes */
  int regsPerBlock;            /**< 32 integer + 32 FP registers per thread x threads */
  int warpSize;                /**< 32 */
  int maxThreadsPerBlock;
  int maxThreadsDim[3];
  int maxGridSize[3];
  int clockRate;               /**< kHz */
  int multiProcessorCount;     /**< tiles */
  int maxThreadsPerMultiProcessor;
  int maxBlocksPerMultiProcessor; /**< 1: a tile runs one block at a time */
  int linkCount;               /**< chip-to-chip links */
  int pciDomainID, pciBusID, pciDeviceID; /**< 0 for the in-process emulator */
  int major, minor;            /**< T1 interface version */
  int unifiedAddressing;       /**< 1 */
  int concurrentKernels;       /**< 1 */
  int asyncEngineCount;        /**< DMA engines */
  int canMapHostMemory;        /**< 1: tsMallocHost memory is reachable by kernels */
  int deterministic;           /**< 1 when the emulator runs in deterministic mode */
  tsPlatform platform;
  char backend[16];            /**< "emu" or "drm" */
  int deviceIndex;             /**< index in the chip fabric (before filtering) */
} tsDeviceProp;

tsError_t tsGetDeviceCount(int* count);
tsError_t tsGetDeviceProperties(tsDeviceProp* prop, int device);
/** Makes `device` current for this host thread. */
tsError_t tsSetDevice(int device);
tsError_t tsGetDevice(int* device);
/** Waits for all work on the current device; returns the first unreported
 *  asynchronous error of any of its streams. */
tsError_t tsDeviceSynchronize(void);
/**
 * Destroys every resource of the current device in this process (memory,
 * streams, events, modules, peer mappings), resets the chip and starts
 * afresh. Recovers from faults and timeouts without restarting the process.
 * Handles from before the reset become invalid.
 */
tsError_t tsDeviceReset(void);

/* ====================================================================== */
/** @name Memory */
/* ====================================================================== */

typedef enum tsMemcpyKind {
  tsMemcpyHostToHost = 0,
  tsMemcpyHostToDevice = 1,
  tsMemcpyDeviceToHost = 2,
  tsMemcpyDeviceToDevice = 3,
  tsMemcpyDefault = 4, /**< inferred from the pointers (unified addressing) */
  tsMemcpyKindMaxEnum = 0x7FFFFFFF /**< not a kind: makes every int value representable */
} tsMemcpyKind;

/** Device memory, 256-byte aligned, on the current device. size 0 gives NULL. */
tsError_t tsMalloc(void** devPtr, size_t size);
/** Frees device memory (NULL is a no-op). Waits for work that may use it. */
tsError_t tsFree(void* devPtr);
/** Page-locked host memory, reachable by every device's DMA and kernels. */
tsError_t tsMallocHost(void** ptr, size_t size);
tsError_t tsFreeHost(void* ptr);
/** Free and total memory of the current device, bytes. */
tsError_t tsMemGetInfo(size_t* free, size_t* total);

/** Synchronous with the host for host memory that is not page-locked. */
tsError_t tsMemcpy(void* dst, const void* src, size_t count, tsMemcpyKind kind);
tsError_t tsMemset(void* devPtr, int value, size_t count);

typedef struct tsStream* tsStream_t;
typedef struct tsEvent* tsEvent_t;

/** Asynchronous when the host side is page-locked (tsMallocHost) or both
 *  sides are device memory; otherwise it completes before returning. */
tsError_t tsMemcpyAsync(void* dst, const void* src, size_t count, tsMemcpyKind kind,
                        tsStream_t stream);
tsError_t tsMemsetAsync(void* devPtr, int value, size_t count, tsStream_t stream);
/** Copies between devices over a chip-to-chip link (or through the host when
 *  the devices are not linked). Peer access need not be enabled. */
tsError_t tsMemcpyPeer(void* dst, int dstDevice, const void* src, int srcDevice, size_t count);
tsError_t tsMemcpyPeerAsync(void* dst, int dstDevice, const void* src, int srcDevice,
                            size_t count, tsStream_t stream);

/** Where a pointer lives. */
typedef enum tsMemoryType {
  tsMemoryTypeUnregistered = 0, /**< ordinary host memory */
  tsMemoryTypeHost = 1,         /**< from tsMallocHost */
  tsMemoryTypeDevice = 2,
  tsMemoryTypeMaxEnum = 0x7FFFFFFF
} tsMemoryType;
typedef struct tsPointerAttributes {
  tsMemoryType type;
  int device;          /**< owning device, -1 for host memory */
  void* devicePointer; /**< start of the allocation, or NULL */
  size_t size;         /**< size of the allocation, or 0 */
} tsPointerAttributes;
tsError_t tsPointerGetAttributes(tsPointerAttributes* attributes, const void* ptr);

/* ====================================================================== */
/** @name Streams */
/* ====================================================================== */

/** The legacy default stream: synchronizes with every blocking stream of
 *  its device (CUDA's cudaStreamLegacy; NULL means the same unless
 *  TESSERA_API_PER_THREAD_DEFAULT_STREAM is defined). */
#define tsStreamLegacy ((tsStream_t)0x1)
/** This host thread's default stream: an ordinary blocking stream. */
#define tsStreamPerThread ((tsStream_t)0x2)

#define tsStreamDefault 0x0
/** Work in this stream does not synchronize with the legacy default stream. */
#define tsStreamNonBlocking 0x1

tsError_t tsStreamCreate(tsStream_t* stream);
tsError_t tsStreamCreateWithFlags(tsStream_t* stream, unsigned int flags);
/** Lower numbers are higher priorities, as in CUDA; see
 *  tsDeviceGetStreamPriorityRange. Out-of-range values are clamped. */
tsError_t tsStreamCreateWithPriority(tsStream_t* stream, unsigned int flags, int priority);
tsError_t tsDeviceGetStreamPriorityRange(int* leastPriority, int* greatestPriority);
tsError_t tsStreamGetPriority(tsStream_t stream, int* priority);
tsError_t tsStreamGetFlags(tsStream_t stream, unsigned int* flags);
/** Returns at once; work already enqueued still runs. */
tsError_t tsStreamDestroy(tsStream_t stream);
tsError_t tsStreamSynchronize(tsStream_t stream);
/** tsSuccess when all work has completed, tsErrorNotReady while some runs. */
tsError_t tsStreamQuery(tsStream_t stream);
/** Work enqueued on `stream` after this call waits for the event's last
 *  record (of any device). flags must be 0. */
tsError_t tsStreamWaitEvent(tsStream_t stream, tsEvent_t event, unsigned int flags);

typedef void (*tsHostFn_t)(void* userData);
/** Runs fn(userData) on a runtime thread once earlier work of the stream has
 *  completed; later work waits for it. fn must not call the runtime. */
tsError_t tsLaunchHostFunc(tsStream_t stream, tsHostFn_t fn, void* userData);

/* ====================================================================== */
/** @name Events */
/* ====================================================================== */

#define tsEventDefault 0x0
#define tsEventBlockingSync 0x1 /**< accepted; waits always block after a short spin */
#define tsEventDisableTiming 0x2

tsError_t tsEventCreate(tsEvent_t* event);
tsError_t tsEventCreateWithFlags(tsEvent_t* event, unsigned int flags);
tsError_t tsEventRecord(tsEvent_t event, tsStream_t stream);
tsError_t tsEventQuery(tsEvent_t event);
tsError_t tsEventSynchronize(tsEvent_t event);
/** Milliseconds between two completed records (device timestamps). */
tsError_t tsEventElapsedTime(float* ms, tsEvent_t start, tsEvent_t end);
tsError_t tsEventDestroy(tsEvent_t event);

/* ====================================================================== */
/** @name Modules and launches */
/* ====================================================================== */

typedef struct tsModule* tsModule_t;
typedef struct tsFunction* tsFunction_t;

/** Three block or grid dimensions. */
typedef struct tsDim3 {
  unsigned int x, y, z;
} tsDim3;
#ifdef __cplusplus
#define TS_DIM3(x, y, z) (tsDim3{(unsigned int)(x), (unsigned int)(y), (unsigned int)(z)})
#else
#define TS_DIM3(x, y, z) ((tsDim3){(unsigned int)(x), (unsigned int)(y), (unsigned int)(z)})
#endif

/** Loads a code object file (from tessc) onto the current device. */
tsError_t tsModuleLoad(tsModule_t* module, const char* path);
/** Loads a code object held in memory (e.g. embedded by tessera_add_kernels).
 *  `size` bounds the read; the bytes are copied. */
tsError_t tsModuleLoadData(tsModule_t* module, const void* image, size_t size);
/** Waits for work that may use the module, then frees it. */
tsError_t tsModuleUnload(tsModule_t module);
tsError_t tsModuleGetFunction(tsFunction_t* function, tsModule_t module, const char* name);
/** Device address and size of a __device__ or __constant__ variable. */
tsError_t tsModuleGetGlobal(void** devPtr, size_t* bytes, tsModule_t module, const char* name);

typedef struct tsFuncAttributes {
  size_t sharedSizeBytes;  /**< static __shared__ bytes */
  size_t constSizeBytes;   /**< 0: constants live in device memory */
  size_t localSizeBytes;   /**< stack per thread the launch reserves */
  int maxThreadsPerBlock;
  int numRegs;             /**< architectural registers per thread (64) */
  int maxDynamicSharedSizeBytes;
  int binaryVersion;       /**< code-object note version, major * 10 + minor */
  int recursion;           /**< 1 when the stack size is a lower bound */
  const char* name;        /**< the kernel's (mangled) name */
} tsFuncAttributes;
tsError_t tsFuncGetAttributes(tsFuncAttributes* attr, tsFunction_t function);

/**
 * Enqueues a kernel. `args[i]` points at the value of the i-th parameter
 * (as in cudaLaunchKernel/cuLaunchKernel); the values are copied before the
 * call returns. Checked at the call: the grid and block shape, the block
 * size against the kernel and the device, static + dynamic shared memory
 * against the scratchpad, the number of arguments (args may be NULL only for
 * kernels without parameters), the stream.
 */
tsError_t tsLaunchKernel(tsFunction_t function, tsDim3 grid, tsDim3 block, void** args,
                         size_t sharedMemBytes, tsStream_t stream);

/** Blocks of `function` resident per tile for this block size (0 or 1 on T1). */
tsError_t tsOccupancyMaxActiveBlocksPerMultiprocessor(int* numBlocks, tsFunction_t function,
                                                      int blockSize, size_t dynamicSMemSize);
/** Largest block size the kernel supports and the grid that fills the device. */
tsError_t tsOccupancyMaxPotentialBlockSize(int* minGridSize, int* blockSize,
                                           tsFunction_t function, size_t dynamicSMemSize,
                                           int blockSizeLimit);

/* ====================================================================== */
/** @name Peers */
/* ====================================================================== */

/** 1 when `device` and `peerDevice` are joined by a direct chip-to-chip link,
 *  so copies between them can use peer DMA. */
tsError_t tsDeviceCanAccessPeer(int* canAccessPeer, int device, int peerDevice);
/** Lets copies from the current device to `peerDevice` travel over their
 *  link (peer DMA) instead of through host memory. flags must be 0.
 *  Interface 1.0 of the T1 has no peer aperture: kernels cannot dereference
 *  another device's memory (docs/porting-guide.md). */
tsError_t tsDeviceEnablePeerAccess(int peerDevice, unsigned int flags);
tsError_t tsDeviceDisablePeerAccess(int peerDevice);

#ifdef __cplusplus
}
#endif

/*
 * Per-thread default stream. Compiling with -DTESSERA_API_PER_THREAD_DEFAULT_STREAM
 * (like nvcc's --default-stream per-thread) makes a NULL stream mean
 * tsStreamPerThread in every call below, including the implicit stream of
 * tsMemcpy and tsMemset. It works by renaming the calls to variants the
 * library exports; give the macro to every translation unit consistently.
 */
#ifdef __cplusplus
extern "C" {
#endif
tsError_t tsMemcpy_ptds(void* dst, const void* src, size_t count, tsMemcpyKind kind);
tsError_t tsMemset_ptds(void* devPtr, int value, size_t count);
tsError_t tsMemcpyPeer_ptds(void* dst, int dstDevice, const void* src, int srcDevice, size_t count);
tsError_t tsMemcpyAsync_ptsz(void* dst, const void* src, size_t count, tsMemcpyKind kind,
                             tsStream_t stream);
tsError_t tsMemsetAsync_ptsz(void* devPtr, int value, size_t count, tsStream_t stream);
tsError_t tsMemcpyPeerAsync_ptsz(void* dst, int dstDevice, const void* src, int srcDevice,
                                 size_t count, tsStream_t stream);
tsError_t tsStreamSynchronize_ptsz(tsStream_t stream);
tsError_t tsStreamQuery_ptsz(tsStream_t stream);
tsError_t tsStreamWaitEvent_ptsz(tsStream_t stream, tsEvent_t event, unsigned int flags);
tsError_t tsStreamGetPriority_ptsz(tsStream_t stream, int* priority);
tsError_t tsStreamGetFlags_ptsz(tsStream_t stream, unsigned int* flags);
tsError_t tsLaunchHostFunc_ptsz(tsStream_t stream, tsHostFn_t fn, void* userData);
tsError_t tsEventRecord_ptsz(tsEvent_t event, tsStream_t stream);
tsError_t tsLaunchKernel_ptsz(tsFunction_t function, tsDim3 grid, tsDim3 block, void** args,
                              size_t sharedMemBytes, tsStream_t stream);
#ifdef __cplusplus
}
#endif

#ifdef TESSERA_API_PER_THREAD_DEFAULT_STREAM
#define tsMemcpy tsMemcpy_ptds
#define tsMemset tsMemset_ptds
#define tsMemcpyPeer tsMemcpyPeer_ptds
#define tsMemcpyAsync tsMemcpyAsync_ptsz
#define tsMemsetAsync tsMemsetAsync_ptsz
#define tsMemcpyPeerAsync tsMemcpyPeerAsync_ptsz
#define tsStreamSynchronize tsStreamSynchronize_ptsz
#define tsStreamQuery tsStreamQuery_ptsz
#define tsStreamWaitEvent tsStreamWaitEvent_ptsz
#define tsStreamGetPriority tsStreamGetPriority_ptsz
#define tsStreamGetFlags tsStreamGetFlags_ptsz
#define tsLaunchHostFunc tsLaunchHostFunc_ptsz
#define tsEventRecord tsEventRecord_ptsz
#define tsLaunchKernel tsLaunchKernel_ptsz
#endif

#endif /* TESSERA_TESSERA_H */
