// SPDX-License-Identifier: Apache-2.0
// HwQueue: the commands in flight on one hardware queue, retired in order
// (every packet carries the BARRIER bit, so they also complete in order).
#include <atomic>

#include "core/runtime.hpp"

namespace tessera::rt {
namespace {
int64_t signal_value(t1_signal* s) {
  return std::atomic_ref<int64_t>(s->value).load(std::memory_order_acquire);
}
// A command that will never run still completes its signal, so barriers
// waiting for it (other streams, events) are released.
void complete_abandoned(t1_signal* s) {
  std::atomic_ref<uint32_t>(s->status).store(T1_FAULT_ABORTED, std::memory_order_relaxed);
  std::atomic_ref<int64_t>(s->value).store(0, std::memory_order_release);
}
}  // namespace

HwQueue::~HwQueue() { abandon(tsErrorLaunchFailure, "the queue was destroyed"); }

void HwQueue::submit(t1_packet pkt, const CommandPtr& cmd) {
  cmd->queue = this;
  pkt.header = static_cast<uint16_t>(pkt.header | T1_PKT_BARRIER | T1_PKT_INTERRUPT);
  pkt.raw[T1_PKT_COMPLETION_SIGNAL_OFFSET / 8] = cmd->signal.va();
  std::atomic_ref<int64_t>(cmd->sig()->value).store(1, std::memory_order_release);
  // Wait for ring room without mu_, so that retiring (which frees what
  // host tasks wait for) goes on meanwhile. Submissions to one queue are
  // serialized by DeviceState::mu, so the room stays ours.
  q_->wait_for_room(1);
  std::lock_guard lock(mu_);
  inflight_.push_back(cmd);
  cmd->packet_index = q_->submit(&pkt, 1);
}

CommandPtr HwQueue::tail() {
  std::lock_guard lock(mu_);
  return inflight_.empty() ? nullptr : inflight_.back();
}

void HwQueue::progress() {
  std::vector<CommandPtr> retired;
  {
    std::unique_lock lock(mu_, std::try_to_lock);
    if (!lock.owns_lock()) return;  // someone else is retiring
    // The device writes a failing packet's signal before it stops the
    // queue: look at the error first, so the signals read below include it.
    uint32_t cause = 0;
    uint64_t index = 0;
    const bool stopped = q_->error(cause, index);
    while (!inflight_.empty()) {
      CommandPtr& c = inflight_.front();
      t1_signal* s = c->sig();
      if (signal_value(s) > 0) break;
      const uint32_t status = std::atomic_ref<uint32_t>(s->status).load(std::memory_order_acquire);
      c->start_ts = s->start_ts;
      c->end_ts = s->end_ts;
      if (status != T1_SIGNAL_STATUS_OK && !c->ignore_status) {
        const std::optional<t1_fault_record> rec = dev_.find_fault(q_->id(), c->packet_index);
        c->message = dev_.fault_message(*c, status, rec ? &*rec : nullptr);
        c->error = error_for_cause(status, rec ? rec->access : 0);
        c->state.store(Command::kFailed, std::memory_order_release);
      } else {
        c->state.store(Command::kDone, std::memory_order_release);
      }
      retired.push_back(std::move(c));
      inflight_.pop_front();
    }
    if (stopped) {
      // The queue stopped at `index`. A failing packet whose signal was
      // written was retired above; whatever is left never ran.
      tsError_t err = tsErrorLaunchFailure;
      std::string why;
      if (dev_.hw().lost()) {
        err = tsErrorDeviceLost;
        why = "device " + std::to_string(dev_.ordinal()) +
              " was lost: the kernel driver reports that the chip (or the emulator serving it) stopped responding";
      } else if (!retired.empty() && retired.back()->state.load() == Command::kFailed) {
        err = retired.back()->error;
        why = retired.back()->message;
      } else {
        const std::optional<t1_fault_record> rec = dev_.find_fault(q_->id(), index);
        why = inflight_.empty() ? std::string("queue error") : dev_.fault_message(*inflight_.front(), cause, rec ? &*rec : nullptr);
        err = error_for_cause(cause, rec ? rec->access : 0);
      }
      for (CommandPtr& c : inflight_) {
        c->error = err;
        if (dev_.hw().lost()) c->message = why + " (" + c->what_text() + " was abandoned)";
        else c->message = c->packet_index == index ? why : why + " (" + c->what_text() + " did not run)";
        complete_abandoned(c->sig());
        c->state.store(Command::kFailed, std::memory_order_release);
        retired.push_back(std::move(c));
      }
      inflight_.clear();
      q_->restart();
    }
  }
  // Resources go outside the lock (freeing may take other locks).
  for (CommandPtr& c : retired) {
    c->keep.clear();
    c->module.reset();
  }
}

void HwQueue::abandon(tsError_t error, const std::string& why) {
  std::deque<CommandPtr> left;
  {
    std::lock_guard lock(mu_);
    left.swap(inflight_);
  }
  for (CommandPtr& c : left) {
    c->error = error;
    c->message = c->what_text() + ": " + why;
    complete_abandoned(c->sig());
    c->state.store(Command::kFailed, std::memory_order_release);
    c->keep.clear();
    c->module.reset();
  }
}

void HwQueue::kick() { q_->kick(); }

uint64_t HwQueue::device_read_index() { return q_->read_index(); }

tsError_t error_for_cause(uint32_t cause, uint32_t access) {
  switch (cause) {
    case T1_FAULT_UNMAPPED:
    case T1_FAULT_PERMISSION:
    case T1_FAULT_PHYS_RANGE:
    case T1_FAULT_BAD_PAGE_TABLE:
    case T1_FAULT_SHARED_BOUNDS:
      return (access & T1_ACCESS_EXEC) ? tsErrorInvalidPc : tsErrorIllegalAddress;
    case T1_FAULT_MISALIGNED: return tsErrorMisalignedAddress;
    case T1_FAULT_ILLEGAL_INSN: return tsErrorIllegalInstruction;
    case T1_FAULT_BREAKPOINT: return tsErrorAssert;
    case T1_FAULT_WATCHDOG: return tsErrorLaunchTimeout;
    default: return tsErrorLaunchFailure;
  }
}

}  // namespace tessera::rt
