// SPDX-License-Identifier: Apache-2.0
// Error names and descriptions, and each host thread's last error.
#include "core/error.hpp"

namespace tessera::rt {
namespace {

struct ErrorText {
  tsError_t code;
  const char* name;
  const char* text;
};

constexpr ErrorText kErrors[] = {
    {tsSuccess, "tsSuccess", "no error"},
    {tsErrorInvalidValue, "tsErrorInvalidValue", "invalid argument"},
    {tsErrorMemoryAllocation, "tsErrorMemoryAllocation", "out of memory"},
    {tsErrorInitializationError, "tsErrorInitializationError", "the runtime could not be initialized"},
    {tsErrorInvalidConfiguration, "tsErrorInvalidConfiguration", "invalid launch configuration"},
    {tsErrorInvalidPitchValue, "tsErrorInvalidPitchValue", "invalid pitch"},
    {tsErrorInvalidDevicePointer, "tsErrorInvalidDevicePointer", "invalid device pointer"},
    {tsErrorInvalidMemcpyDirection, "tsErrorInvalidMemcpyDirection", "copy kind does not match the pointers"},
    {tsErrorNoDevice, "tsErrorNoDevice", "no Tessera device is available"},
    {tsErrorInvalidDevice, "tsErrorInvalidDevice", "invalid device ordinal"},
    {tsErrorInvalidImage, "tsErrorInvalidImage", "invalid code object"},
    {tsErrorInvalidResourceHandle, "tsErrorInvalidResourceHandle", "invalid resource handle"},
    {tsErrorNotFound, "tsErrorNotFound", "named symbol not found"},
    {tsErrorNotReady, "tsErrorNotReady", "work not yet completed"},
    {tsErrorIllegalAddress, "tsErrorIllegalAddress", "an illegal memory access was encountered"},
    {tsErrorLaunchOutOfResources, "tsErrorLaunchOutOfResources", "too many resources requested for launch"},
    {tsErrorLaunchTimeout, "tsErrorLaunchTimeout", "the launch timed out (watchdog)"},
    {tsErrorPeerAccessAlreadyEnabled, "tsErrorPeerAccessAlreadyEnabled", "peer access is already enabled"},
    {tsErrorPeerAccessNotEnabled, "tsErrorPeerAccessNotEnabled", "peer access has not been enabled"},
    {tsErrorAssert, "tsErrorAssert", "device-side assert triggered"},
    {tsErrorIllegalInstruction, "tsErrorIllegalInstruction", "an illegal instruction was encountered"},
    {tsErrorMisalignedAddress, "tsErrorMisalignedAddress", "misaligned address"},
    {tsErrorInvalidPc, "tsErrorInvalidPc", "invalid program counter"},
    {tsErrorLaunchFailure, "tsErrorLaunchFailure", "unspecified launch failure"},
    {tsErrorPeerAccessUnsupported, "tsErrorPeerAccessUnsupported", "peer access is not supported between these devices"},
    {tsErrorIncompatibleVersion, "tsErrorIncompatibleVersion", "unsupported version of the device, backend or code object"},
    {tsErrorNotSupported, "tsErrorNotSupported", "operation not supported"},
    {tsErrorDeviceLost, "tsErrorDeviceLost", "the device is no longer available"},
    {tsErrorUnknown, "tsErrorUnknown", "unknown error"},
};

const ErrorText* find(tsError_t e) {
  for (const auto& t : kErrors)
    if (t.code == e) return &t;
  return nullptr;
}

struct LastError {
  tsError_t code = tsSuccess;
  std::string message;
};
LastError& last() {
  thread_local LastError l;
  return l;
}

}  // namespace

void set_last_error(tsError_t code, const std::string& message) {
  last().code = code;
  last().message = message;
}

}  // namespace tessera::rt

using namespace tessera::rt;

extern "C" {

const char* tsGetErrorName(tsError_t error) {
  const ErrorText* t = find(error);
  return t ? t->name : "unrecognized error code";
}
const char* tsGetErrorString(tsError_t error) {
  const ErrorText* t = find(error);
  return t ? t->text : "unrecognized error code";
}
tsError_t tsGetLastError(void) {
  const tsError_t e = last().code;
  last().code = tsSuccess;
  last().message.clear();
  return e;
}
tsError_t tsPeekAtLastError(void) { return last().code; }
const char* tsGetLastErrorMessage(void) { return last().message.c_str(); }

}  // extern "C"
