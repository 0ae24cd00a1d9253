#include "traffic/xsk_socket.hpp"

#include "core/close_later.hpp"

#include <sys/mman.h>
#include <sys/socket.h>

#include <atomic>
#include <cstring>
#include <utility>

#ifndef SOL_XDP
#define SOL_XDP 283 // glibc before 2.28 lacks it
#endif

namespace zc::traffic::xsk {

std::optional<std::string> layout_error(const UmemLayout& layout, size_t page_size)
{
    if (!is_power_of_two(layout.frame_size)) {
        return "frame size " + std::to_string(layout.frame_size) + " is not a power of two";
    }
    if (layout.frame_size < 2048 || layout.frame_size > page_size) {
        return "frame size " + std::to_string(layout.frame_size) + " is outside 2048.." + std::to_string(page_size);
    }
    if (layout.frame_count == 0) return std::string("no frames");
    if (layout.bytes() % page_size != 0) {
        return "umem of " + std::to_string(layout.bytes()) + " bytes is not whole pages";
    }
    return std::nullopt;
}

Mapping::Mapping(Mapping&& o) noexcept : p_(std::exchange(o.p_, nullptr)), len_(std::exchange(o.len_, 0)) {}

Mapping& Mapping::operator=(Mapping&& o) noexcept
{
    if (this != &o) {
        if (p_ != nullptr) ::munmap(p_, len_);
        p_ = std::exchange(o.p_, nullptr);
        len_ = std::exchange(o.len_, 0);
    }
    return *this;
}

Mapping::~Mapping()
{
    if (p_ != nullptr) ::munmap(p_, len_);
}

namespace {

uint32_t load_acquire(const uint32_t* p) { return std::atomic_ref(*const_cast<uint32_t*>(p)).load(std::memory_order_acquire); }
void store_release(uint32_t* p, uint32_t v) { std::atomic_ref(*p).store(v, std::memory_order_release); }

// The offsets the kernel reports. Before 5.4 (77cd0d7b3f25) the answer is
// the shorter xdp_mmap_offsets_v1 without a flags word per ring.
struct Offsets {
    xdp_mmap_offsets off{};
    bool has_flags = true;
};

SysResult mmap_offsets(int fd, Offsets& out)
{
    socklen_t len = sizeof out.off;
    const SysResult r = sys_result(::getsockopt(fd, SOL_XDP, XDP_MMAP_OFFSETS, &out.off, &len));
    if (!r.ok()) return r;
    if (len != sizeof out.off) {
        // v1 layout: {producer, consumer, desc} per ring, rings rx, tx, fr, cr.
        struct V1 {
            uint64_t producer, consumer, desc;
        };
        V1 v[4];
        static_assert(sizeof v <= sizeof out.off);
        std::memcpy(v, &out.off, sizeof v);
        xdp_ring_offset* rings[4] = {&out.off.rx, &out.off.tx, &out.off.fr, &out.off.cr};
        for (int i = 0; i < 4; ++i) {
            *rings[i] = xdp_ring_offset{v[i].producer, v[i].consumer, v[i].desc, 0};
        }
        out.has_flags = false;
    }
    return r;
}

SysResult map_ring(int fd, const xdp_ring_offset& off, bool has_flags, uint32_t entries, size_t desc_size,
                   off_t pgoff, Ring& ring)
{
    const size_t len = off.desc + size_t{entries} * desc_size;
    void* p = ::mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, pgoff);
    if (p == MAP_FAILED) return SysResult{-1, errno};
    ring.map = Mapping(p, len);
    uint8_t* base = ring.map.data();
    ring.producer = reinterpret_cast<uint32_t*>(base + off.producer);
    ring.consumer = reinterpret_cast<uint32_t*>(base + off.consumer);
    ring.flags = has_flags ? reinterpret_cast<uint32_t*>(base + off.flags) : nullptr;
    ring.descs = base + off.desc;
    ring.size = entries;
    return SysResult{0, 0};
}

std::string flags_text(uint16_t flags)
{
    std::string out;
    auto add = [&](uint16_t bit, const char* name) {
        if (flags & bit) out += out.empty() ? name : std::string("|") + name;
    };
    add(XDP_COPY, "XDP_COPY");
    add(XDP_ZEROCOPY, "XDP_ZEROCOPY");
    add(XDP_USE_NEED_WAKEUP, "XDP_USE_NEED_WAKEUP");
    return out.empty() ? "no flags" : out;
}

} // namespace

OpenOutcome TxSocket::open(const Options& opts, Fd sock)
{
    OpenOutcome oc;
    auto fail = [&oc](std::string call, int err) {
        oc.failed_call = std::move(call);
        oc.err = err;
        return std::move(oc);
    };
    // Options refused before any call: a cause, no errno (none was returned).
    if (auto bad = layout_error(opts.layout, page_size())) return fail("xsk umem layout (" + *bad + ")", 0);
    if (!is_power_of_two(opts.ring_size)) {
        return fail("xsk ring size " + std::to_string(opts.ring_size) + " (not a power of two)", 0);
    }
    TxSocket s;
    s.layout_ = opts.layout;
    s.fd_ = sock ? std::move(sock) : Fd(::socket(AF_XDP, SOCK_RAW | SOCK_CLOEXEC, 0));
    if (!s.fd_) return fail("socket(AF_XDP, SOCK_RAW)", errno);
    const int fd = s.fd_.get();

    s.umem_ = PageBuffer(opts.layout.bytes());
    xdp_umem_reg reg{};
    reg.addr = reinterpret_cast<uintptr_t>(s.umem_.data());
    reg.len = opts.layout.bytes();
    reg.chunk_size = opts.layout.frame_size;
    reg.headroom = 0;
    if (auto r = sys_result(::setsockopt(fd, SOL_XDP, XDP_UMEM_REG, &reg, sizeof reg)); !r.ok()) {
        return fail("setsockopt(XDP_UMEM_REG) of a " + std::to_string(reg.len) + "-byte umem", r.err);
    }
    const int entries = static_cast<int>(opts.ring_size);
    const std::pair<int, const char*> rings[] = {{XDP_UMEM_FILL_RING, "XDP_UMEM_FILL_RING"},
                                                 {XDP_UMEM_COMPLETION_RING, "XDP_UMEM_COMPLETION_RING"},
                                                 {XDP_TX_RING, "XDP_TX_RING"}};
    for (const auto& [opt, name] : rings) {
        if (auto r = sys_result(::setsockopt(fd, SOL_XDP, opt, &entries, sizeof entries)); !r.ok()) {
            return fail(std::string("setsockopt(") + name + ")", r.err);
        }
    }
    Offsets off;
    if (auto r = mmap_offsets(fd, off); !r.ok()) return fail("getsockopt(XDP_MMAP_OFFSETS)", r.err);
    // The fill ring is required by bind() but a TX-only socket never maps it.
    if (auto r = map_ring(fd, off.off.cr, off.has_flags, opts.ring_size, sizeof(uint64_t),
                          XDP_UMEM_PGOFF_COMPLETION_RING, s.comp_);
        !r.ok()) {
        return fail("mmap() of the xsk completion ring", r.err);
    }
    if (auto r = map_ring(fd, off.off.tx, off.has_flags, opts.ring_size, sizeof(xdp_desc), XDP_PGOFF_TX_RING, s.tx_);
        !r.ok()) {
        return fail("mmap() of the xsk tx ring", r.err);
    }
    s.tx_prod_ = load_acquire(s.tx_.producer);

    sockaddr_xdp sa{};
    sa.sxdp_family = AF_XDP;
    sa.sxdp_flags = opts.bind_flags;
    sa.sxdp_ifindex = static_cast<uint32_t>(opts.ifindex);
    sa.sxdp_queue_id = opts.queue_id;
    if (auto r = sys_result(::bind(fd, reinterpret_cast<const sockaddr*>(&sa), sizeof sa)); !r.ok()) {
        return fail("bind(AF_XDP, " + flags_text(opts.bind_flags) + ") to ifindex " + std::to_string(opts.ifindex) +
                        " queue " + std::to_string(opts.queue_id),
                    r.err);
    }
    oc.socket.emplace(std::move(s));
    return oc;
}

bool TxSocket::queue(uint32_t frame_index, uint32_t len)
{
    const uint32_t cons = load_acquire(tx_.consumer);
    if (ring_free(tx_.size, tx_prod_, cons) == 0) return false;
    auto* d = static_cast<xdp_desc*>(tx_.descs) + ring_slot(tx_prod_, tx_.size);
    d->addr = layout_.frame_addr(frame_index);
    d->len = len;
    d->options = 0;
    ++tx_prod_;
    return true;
}

void TxSocket::submit() { store_release(tx_.producer, tx_prod_); }

uint32_t TxSocket::tx_pending() const noexcept { return ring_used(tx_prod_, load_acquire(tx_.consumer)); }

TxSocket::~TxSocket()
{
    close_later(std::move(fd_));
}

SysResult TxSocket::kick() const { return sys_result(::sendto(fd_.get(), nullptr, 0, MSG_DONTWAIT, nullptr, 0)); }

std::optional<bool> TxSocket::tx_needs_wakeup() const noexcept
{
    if (tx_.flags == nullptr) return std::nullopt;
    return (load_acquire(tx_.flags) & XDP_RING_NEED_WAKEUP) != 0;
}

uint32_t TxSocket::reap(std::span<uint64_t> out)
{
    const uint32_t prod = load_acquire(comp_.producer);
    uint32_t cons = load_acquire(comp_.consumer);
    uint32_t n = 0;
    const auto* addrs = static_cast<const uint64_t*>(comp_.descs);
    while (cons != prod && n < out.size()) {
        out[n++] = addrs[ring_slot(cons, comp_.size)];
        ++cons;
    }
    store_release(comp_.consumer, cons);
    return n;
}

std::optional<bool> TxSocket::zero_copy() const
{
#ifdef XDP_OPTIONS
    xdp_options o{};
    socklen_t len = sizeof o;
    if (::getsockopt(fd_.get(), SOL_XDP, XDP_OPTIONS, &o, &len) != 0) return std::nullopt;
    return (o.flags & XDP_OPTIONS_ZEROCOPY) != 0;
#else
    return std::nullopt;
#endif
}

} // namespace zc::traffic::xsk
