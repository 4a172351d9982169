// SPDX-License-Identifier: MIT
// The refusing IUCV stand-in (declared in iucv_hub.hpp; not named iucv_* so it
// stays out of the pure cpd_iucv library): answers what would otherwise leave a guest
// waiting. Replaced by the IUCV implementation (routing/iucv/iucv_*).
#include "routing/iucv/iucv_hub.hpp"

#include <variant>

namespace cpd::daemon {

void RefusingIucvHandler::on_guest_frame(const proto::Userid& from,
                                         const proto::GuestFrame& frame) {
    if (const auto* c = std::get_if<proto::IucvConnect>(&frame)) {
        port_.notify_guest(from, proto::IucvFailed{c->path, proto::IucvRc::not_authorized});
    } else if (const auto* s = std::get_if<proto::IucvSend>(&frame)) {
        port_.notify_guest(from,
                            proto::IucvSendFailed{s->path, s->msgid, proto::IucvRc::invalid_path});
    } else if (const auto* r = std::get_if<proto::IucvReply>(&frame)) {
        port_.notify_guest(from,
                            proto::IucvSendFailed{r->path, r->msgid, proto::IucvRc::invalid_path});
    }
}

} // namespace cpd::daemon
