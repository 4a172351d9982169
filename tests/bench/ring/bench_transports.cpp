// SPDX-License-Identifier: MIT
// Implementations of the bench transports. Failures here are fatal: a
// benchmark that cannot set up prints why and exits 71.
#include "bench_transports.hpp"

#include "cpd/ipc/segment.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <boost/interprocess/ipc/message_queue.hpp>

#include <sys/socket.h>
#include <unistd.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace cpd::bench {
namespace {

[[noreturn]] void die(const char* what) {
    std::fprintf(stderr, "bench_ring: unable to %s\n", what);
    std::exit(71);
}

class RingTransport final : public Transport {
public:
    RingTransport(std::uint64_t spin_ns, unsigned wake_batch)
        : spin_ns_(spin_ns), wake_batch_(wake_batch) {
        std::error_code ec;
        seg_ = ipc::Segment::create(ipc::SegmentGeometry{1u << 20, 1u << 20}, "bench", ec);
        bell_[0] = ipc::Doorbell::create(ec);
        bell_[1] = ipc::Doorbell::create(ec);
        if (!seg_.valid() || ec) {
            die("create the ring segment");
        }
    }
    std::string name() const override { return "cpd ring"; }
    void bind(bool side_a) override {
        // ring 0 carries A->B (bell 0 wakes B), ring 1 carries B->A (bell 1 wakes A)
        out_ = side_a ? 0 : 1;
        writer_ = seg_.writer(out_);
        reader_ = seg_.reader(1 - out_);
        // Batched senders publish once per batch, as cpd and the guest runtime do.
        writer_.set_deferred_publish(wake_batch_ > 1);
    }
    void send(const std::byte* data, std::size_t size) override {
        RingStatus s;
        while ((s = writer_.push(1, {data, size})) == RingStatus::full) {
            flush();
#if defined(__x86_64__)
            _mm_pause();
#endif
        }
        if (s != RingStatus::ok) {
            die("push to the ring");
        }
        if (++unflushed_ >= wake_batch_) {
            flush();
        }
    }
    void flush() override {
        unflushed_ = 0;
        wakeups_ += writer_.wake_if_sleeping(bell_[out_]) ? 1 : 0;
    }
    std::size_t recv(std::byte* buf, std::size_t capacity) override {
        for (;;) {
            ipc::RecordView v;
            RingStatus s = reader_.peek(v);
            if (s == RingStatus::ok) {
                const std::size_t n = v.payload.size() < capacity ? v.payload.size() : capacity;
                std::memcpy(buf, v.payload.data(), n);
                reader_.consume();
                return n;
            }
            if (s != RingStatus::empty || !reader_.wait(bell_[1 - out_], spin_ns_)) {
                die("read the ring");
            }
        }
    }
    std::uint64_t wakeups() const override { return wakeups_; }

private:
    using RingStatus = ipc::RingStatus;
    std::uint64_t spin_ns_;
    unsigned wake_batch_;
    unsigned unflushed_ = 0;
    std::uint64_t wakeups_ = 0;
    std::size_t out_ = 0;
    ipc::Segment seg_;
    ipc::Doorbell bell_[2];
    ipc::RingWriter writer_;
    ipc::RingReader reader_;
};

class UnixSocketTransport final : public Transport {
public:
    UnixSocketTransport() {
        if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds_) != 0) {
            die("create a socket pair");
        }
    }
    ~UnixSocketTransport() override {
        ::close(fds_[0]);
        ::close(fds_[1]);
    }
    std::string name() const override { return "unix seqpacket"; }
    void bind(bool side_a) override { fd_ = side_a ? fds_[0] : fds_[1]; }
    void send(const std::byte* data, std::size_t size) override {
        if (::send(fd_, data, size, MSG_NOSIGNAL) != static_cast<ssize_t>(size)) {
            die("send on the socket");
        }
    }
    std::size_t recv(std::byte* buf, std::size_t capacity) override {
        ssize_t n = ::recv(fd_, buf, capacity, 0);
        if (n <= 0) {
            die("receive on the socket");
        }
        return static_cast<std::size_t>(n);
    }

private:
    int fds_[2] = {-1, -1};
    int fd_ = -1;
};

namespace bip = boost::interprocess;

class MessageQueueTransport final : public Transport {
public:
    MessageQueueTransport() {
        const std::string base = "cpd-bench-" + std::to_string(::getpid()) + "-" +
                                 std::to_string(counter_++);
        names_[0] = base + "-ab";
        names_[1] = base + "-ba";
        try {
            for (int i = 0; i < 2; ++i) {
                bip::message_queue::remove(names_[i].c_str());
                q_[i] = std::make_unique<bip::message_queue>(bip::create_only, names_[i].c_str(),
                                                             4096, 256);
                bip::message_queue::remove(names_[i].c_str()); // mapping stays; name goes
            }
        } catch (const std::exception&) {
            bip::message_queue::remove(names_[0].c_str());
            bip::message_queue::remove(names_[1].c_str());
            die("create a message queue");
        }
    }
    std::string name() const override { return "boost message_queue"; }
    void bind(bool side_a) override { out_ = side_a ? 0 : 1; }
    void send(const std::byte* data, std::size_t size) override {
        q_[out_]->send(data, size, 0);
    }
    std::size_t recv(std::byte* buf, std::size_t capacity) override {
        bip::message_queue::size_type got = 0;
        unsigned prio = 0;
        q_[1 - out_]->receive(buf, capacity, got, prio);
        return got;
    }

private:
    static inline int counter_ = 0;
    std::string names_[2];
    std::unique_ptr<bip::message_queue> q_[2];
    int out_ = 0;
};

} // namespace

std::unique_ptr<Transport> make_ring(std::uint64_t spin_ns, unsigned wake_batch) {
    return std::make_unique<RingTransport>(spin_ns, wake_batch);
}
std::unique_ptr<Transport> make_unix_socket() { return std::make_unique<UnixSocketTransport>(); }
std::unique_ptr<Transport> make_message_queue() {
    return std::make_unique<MessageQueueTransport>();
}

} // namespace cpd::bench
