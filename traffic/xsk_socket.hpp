// A transmit-only AF_XDP socket: UMEM, fill and completion rings, TX ring,
// bound to one queue of one link. Raw socket options from <linux/if_xdp.h>
// rather than libxdp, so each step that fails names its own call and errno
// (a probe tells EAFNOSUPPORT at socket() from EOPNOTSUPP at bind()), and the
// static build needs no libxdp/libbpf/libelf/zlib. No XDP program is loaded:
// TX needs none (net/xdp/xsk.c xsk_bind only wants fill + completion rings).
//
// Used by the xdp probes; written so an engine mode can reuse it: reserve
// TX descriptors, submit, kick(), then reap completions.
#pragma once

#include "core/fd.hpp"
#include "core/page_buffer.hpp"
#include "core/sys_result.hpp"

#include <linux/if_xdp.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace zc::traffic::xsk {

// ---- pure parts (unit-tested) ---------------------------------------------

// Ring indexes are free-running u32 counters; the slot is index & (size-1).
// The kernel demands power-of-two ring sizes (xsk_init_queue).
constexpr bool is_power_of_two(uint32_t n) noexcept { return n != 0 && (n & (n - 1)) == 0; }
constexpr uint32_t ring_slot(uint32_t index, uint32_t size) noexcept { return index & (size - 1); }
// Entries the consumer has not taken yet; correct across u32 wrap-around.
constexpr uint32_t ring_used(uint32_t producer, uint32_t consumer) noexcept { return producer - consumer; }
// Entries a producer may still fill.
constexpr uint32_t ring_free(uint32_t size, uint32_t producer, uint32_t consumer) noexcept
{
    return size - ring_used(producer, consumer);
}

// Aligned-mode UMEM: frame_count chunks of frame_size bytes; a TX
// descriptor's addr is the chunk's offset in the UMEM.
struct UmemLayout {
    uint32_t frame_size = 2048;
    uint32_t frame_count = 16;

    [[nodiscard]] size_t bytes() const noexcept { return size_t{frame_size} * frame_count; }
    [[nodiscard]] uint64_t frame_addr(uint32_t frame) const noexcept { return uint64_t{frame} * frame_size; }
};

// Why the kernel would refuse this layout in XDP_UMEM_REG (xdp_umem_reg():
// chunk a power of two from XDP_UMEM_MIN_CHUNK_SIZE (2048) to PAGE_SIZE, the
// area whole pages), or std::nullopt when it is acceptable.
std::optional<std::string> layout_error(const UmemLayout& layout, size_t page_size);

// ---- the socket ----------------------------------------------------------

struct Options {
    int ifindex = 0;
    uint32_t queue_id = 0;
    uint16_t bind_flags = XDP_COPY; // XDP_COPY, XDP_ZEROCOPY, XDP_USE_NEED_WAKEUP
    UmemLayout layout;
    uint32_t ring_size = 64; // fill, completion and TX rings
};

// An munmap()ing owner for one ring mapping.
class Mapping {
public:
    Mapping() noexcept = default;
    Mapping(void* p, size_t len) noexcept : p_(p), len_(len) {}
    Mapping(const Mapping&) = delete;
    Mapping& operator=(const Mapping&) = delete;
    Mapping(Mapping&& o) noexcept;
    Mapping& operator=(Mapping&& o) noexcept;
    ~Mapping();
    [[nodiscard]] uint8_t* data() const noexcept { return static_cast<uint8_t*>(p_); }

private:
    void* p_ = nullptr;
    size_t len_ = 0;
};

// One mmap()ed ring: pointers into the shared producer/consumer/flags words
// and the descriptor array, plus the mapping that keeps them valid.
struct Ring {
    Mapping map;
    uint32_t* producer = nullptr;
    uint32_t* consumer = nullptr;
    uint32_t* flags = nullptr; // nullptr on kernels before 5.4 (no flags word)
    void* descs = nullptr;
    uint32_t size = 0;
};

struct OpenOutcome;

class TxSocket {
public:
    // Every step in order; stops at the first failure and says which.
    // `sock`: an AF_XDP socket the caller made in the namespace that holds
    // the link (bind() looks the ifindex up in the socket's namespace); a
    // new one in the current namespace when empty.
    static OpenOutcome open(const Options& opts, Fd sock = Fd());

    TxSocket(TxSocket&&) noexcept = default;
    TxSocket& operator=(TxSocket&&) noexcept = default;
    // Its close waits for a grace period (xsk_unbind_dev()'s
    // synchronize_net()): in a probe's child, after the result (close_later).
    ~TxSocket();

    [[nodiscard]] int fd() const noexcept { return fd_.get(); }
    [[nodiscard]] const UmemLayout& layout() const noexcept { return layout_; }
    [[nodiscard]] uint8_t* frame(uint32_t index) const noexcept { return umem_.data() + layout_.frame_addr(index); }

    // Places one frame on the TX ring (not yet visible to the kernel);
    // false when the ring is full.
    bool queue(uint32_t frame_index, uint32_t len);
    // Publishes every queued descriptor (store-release of the producer).
    void submit();
    // Descriptors the kernel has not consumed yet.
    [[nodiscard]] uint32_t tx_pending() const noexcept;
    // Asks the kernel to transmit: sendto(MSG_DONTWAIT). A blocking send is
    // refused with EOPNOTSUPP (__xsk_sendmsg); EAGAIN/EBUSY mean retry.
    SysResult kick() const;
    // XDP_RING_NEED_WAKEUP on the TX ring; nullopt where the kernel has no
    // flags word.
    [[nodiscard]] std::optional<bool> tx_needs_wakeup() const noexcept;
    // Takes up to out.size() completed frame addresses off the completion ring.
    uint32_t reap(std::span<uint64_t> out);
    // XDP_OPTIONS_ZEROCOPY from getsockopt(XDP_OPTIONS) (5.3+); nullopt if
    // the kernel does not answer.
    [[nodiscard]] std::optional<bool> zero_copy() const;

private:
    TxSocket() = default;
    Fd fd_;
    PageBuffer umem_;
    UmemLayout layout_;
    Ring tx_;
    Ring comp_;
    uint32_t tx_prod_ = 0; // local producer, published by submit()
};

struct OpenOutcome {
    std::optional<TxSocket> socket;
    std::string failed_call; // "bind(AF_XDP, XDP_ZEROCOPY) to ifindex 3" when it failed
    int err = 0;             // the errno the call returned; 0 when options were refused before any call
};

} // namespace zc::traffic::xsk
