// SPDX-License-Identifier: MIT
// The helper's socket is read in rounds of at most 256 answers, then the
// loop serves others; orders are written while the socket takes them and
// queued behind a wait for writability when it does not. A malformed answer
// is logged and dropped: the helper is cpd's own, so one means a bug there,
// never a reason for cpd to stop.
#include "spawner/spawner.hpp"

#include "spawner/exit_status.hpp"
#include "spawner/datagram.hpp"

#include "cpd/ipc/log.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>

#include <boost/asio/post.hpp>
#include <sys/wait.h>

namespace cpd::daemon {
namespace asio = boost::asio;

Spawner::Spawner(asio::io_context& io, Events events)
    : io_(io), events_(std::move(events)), socket_(io), restart_timer_(io) {}

Spawner::~Spawner() {
    boost::system::error_code ignored;
    socket_.close(ignored);
    if (helper_pid_ > 0) { // its guests are gone or die with it
        ::kill(helper_pid_, SIGKILL);
        ::waitpid(helper_pid_, nullptr, 0);
    }
}

void Spawner::start(HelperProcess helper) {
    if (helper.pid < 0) {
        helper = start_spawn_helper();
    }
    if (helper.pid < 0) {
        CPD_LOG(error, "spawner: unable to start the spawn helper: ", helper.error,
                "; trying again in 1 s (logons wait)");
        restart_timer_.expires_after(std::chrono::seconds(1));
        restart_timer_.async_wait([this](const boost::system::error_code& ec) {
            if (!ec) {
                start({});
            }
        });
        return;
    }
    adopt(std::move(helper));
}

void Spawner::adopt(HelperProcess helper) {
    helper_pid_ = helper.pid;
    socket_.assign(helper.socket.release());
    connected_ = true;
    CPD_LOG(debug, "spawner: spawn helper running (pid ", helper_pid_, ")");
    do_receive();
    do_flush();
}

void Spawner::spawn(SpawnOrder order, std::vector<ipc::UniqueFd> fds) {
    Queued q;
    q.spawn_tag = order.tag;
    q.bytes = pack(ToHelper{std::move(order)});
    q.fds = std::move(fds);
    send(std::move(q));
}

void Spawner::kill(std::uint64_t tag, pid_t pid, int signal) {
    if (!connected_) {
        if (pid > 0) { // its parent is gone: it is cpd's child, not yet reaped
            ::kill(pid, signal);
        }
        return;
    }
    Queued q;
    q.bytes = pack(ToHelper{KillOrder{tag, signal}});
    send(std::move(q));
}

void Spawner::send(Queued q) {
    queue_.push_back(std::move(q));
    do_flush();
}

void Spawner::do_flush() {
    while (connected_ && !writing_ && !queue_.empty()) {
        Queued& q = queue_.front();
        std::vector<int> fds;
        for (const ipc::UniqueFd& fd : q.fds) {
            fds.push_back(fd.get());
        }
        const int error = send_datagram(socket_.native_handle(), q.bytes, fds);
        if (error == EAGAIN || error == EWOULDBLOCK || error == ENOBUFS) {
            writing_ = true;
            socket_.async_wait(asio::posix::stream_descriptor::wait_write,
                               [this](const boost::system::error_code& ec) {
                                   writing_ = false;
                                   if (!ec) {
                                       do_flush();
                                   }
                               });
            return;
        }
        if (error != 0) { // the helper is gone: its reaping says so and restarts it
            CPD_LOG(debug, "spawner: the spawn helper's socket: ", std::strerror(error));
            return;
        }
        if (q.spawn_tag != 0) {
            awaiting_start_.insert(q.spawn_tag);
        }
        queue_.pop_front(); // our copies of its descriptors close: the helper has them
    }
}

void Spawner::do_receive() {
    socket_.async_wait(
        asio::posix::stream_descriptor::wait_read, [this](const boost::system::error_code& ec) {
            if (ec || !connected_) {
                return;
            }
            for (int round = 0; round < 256; ++round) {
                Datagram d;
                const int error =
                    receive_datagram(socket_.native_handle(), spawn_wire_max_bytes, 0, d);
                if (error == EAGAIN || error == EWOULDBLOCK) {
                    return do_receive();
                }
                if (error != 0) {
                    return; // end of file: the reaping restarts it
                }
                std::optional<FromHelper> m =
                    d.truncated ? std::nullopt : unpack_from_helper(d.bytes);
                if (!m) {
                    ++malformed_;
                    CPD_LOG(error,
                            "spawner: a malformed answer from the spawn "
                            "helper (",
                            d.bytes.size(), " bytes) dropped (", malformed_, " so far)");
                    continue;
                }
                dispatch(*m);
            }
            asio::post(io_, [this] { do_receive(); }); // others' turn
        });
}

/// What the helper wrote before it died, read without waiting.
void Spawner::drain() {
    for (;;) {
        Datagram d;
        if (receive_datagram(socket_.native_handle(), spawn_wire_max_bytes, 0, d) != 0) {
            return;
        }
        if (std::optional<FromHelper> m =
                d.truncated ? std::nullopt : unpack_from_helper(d.bytes)) {
            dispatch(*m);
        }
    }
}

void Spawner::dispatch(const FromHelper& m) {
    if (const auto* s = std::get_if<Started>(&m)) {
        awaiting_start_.erase(s->tag);
        events_.on_started(*s);
    } else if (const auto* e = std::get_if<ExecHeard>(&m)) {
        events_.on_exec(*e);
    } else if (const auto* o = std::get_if<OutputLine>(&m)) {
        events_.on_output(*o);
    } else {
        events_.on_exited(std::get<Exited>(m));
    }
}

void Spawner::on_helper_reaped(int wait_status) {
    if (connected_) {
        drain();
    }
    helper_pid_ = -1;
    std::string why = "the spawn helper ended ("; // appended: g++ 12 -O3 -Wrestrict
    why += describe_exit(wait_status, false);
    why += ")";
    lose(why);
    do_restart();
}

void Spawner::lose(const std::string& why) {
    connected_ = false;
    boost::system::error_code ignored;
    socket_.close(ignored);
    writing_ = false;
    const std::vector<std::uint64_t> unstarted(awaiting_start_.begin(), awaiting_start_.end());
    awaiting_start_.clear();
    // Kills queued for the old helper's guests mean nothing to a new one.
    std::erase_if(queue_, [](const Queued& q) { return q.spawn_tag == 0; });
    events_.on_lost(why, unstarted);
}

void Spawner::do_restart() {
    // From cpd as it is now: this fork copies cpd's state once, and the new
    // helper's forks then copy what it inherited (cpd(8), "Spawn helper").
    CPD_LOG(warn, "spawner: starting a new spawn helper");
    start({});
}

} // namespace cpd::daemon
