// SPDX-License-Identifier: MIT
// The two seams of a routing round, as the Poller sees them: a FrameDrainer
// acts on a batch of one guest's frames (FrameHandler), and a RoundObserver
// hears when a round begins and ends (Delivery, which publishes and wakes
// once per round). Interfaces only, so each side is tested with a fake.
#pragma once

#include "guests/guest.hpp"

namespace cpd::daemon {

/// What draining a guest's outbound ring left.
enum class Drain {
    empty, ///< the ring is empty now
    more,  ///< frames are left: queue the guest for another batch
    dead,  ///< the guest was faulted or is gone: stop watching it
    throttled, ///< its next frame waits for its budget (GuestBudget::ready_at): look again then
};

/// The outcome of one batch.
struct DrainResult {
    Drain state = Drain::empty;
    int frames = 0; ///< frames handled (0: the guest had nothing to say)
};

/// Acts on a guest's frames. Thread/process: cpd's one thread only.
class FrameDrainer {
  public:
    virtual ~FrameDrainer() = default;
    /// Handles a bounded batch of the guest's outbound frames.
    virtual DrainResult drain(Guest& guest) = 0;
};

/// Hears the edges of a routing round. Thread/process: cpd's one thread only.
class RoundObserver {
  public:
    virtual ~RoundObserver() = default;
    /// A round begins: frames will be drained.
    virtual void begin_round() = 0;
    /// The round's frames are drained; guests are about to be spun over or put to sleep.
    virtual void end_round() = 0;
};

} // namespace cpd::daemon
