// AF_PACKET transmit paths that bypass the usual copy or queueing: the
// mmap()ed TX ring (TPACKET_V1/V2/V3) and PACKET_QDISC_BYPASS. Every probe
// sends one frame with our experimental EtherType on the namespace's lo and
// checks it arrives byte for byte on a packet receiver.
#include "probe/families.hpp"

#include "core/page_buffer.hpp"
#include "core/proc_files.hpp"
#include "core/syscalls.hpp"
#include "traffic/payload.hpp"
#include "traffic/socket_kinds.hpp"

#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <string>
#include <vector>

namespace zc::probe {

namespace {

constexpr size_t payload_len = 1000;
constexpr size_t frame_size = 2048; // ring slot; holds header + one frame

Result channel_failed(const Context& ctx, const traffic::ChannelOutcome& oc)
{
    return from_errno(ctx, oc.failed_call, oc.err);
}

// Bounds send()'s wait for the ring's frames to leave (tpacket_snd blocks
// until the skb destructor hands the slot back).
void bound_send_wait(int fd, int wait_ms)
{
    const timeval tv{wait_ms / 1000, (wait_ms % 1000) * 1000};
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

// An munmap()ing owner for the ring, so no exit path leaks it.
class RingMap {
public:
    RingMap(void* p, size_t len) noexcept : p_(p), len_(len) {}
    RingMap(const RingMap&) = delete;
    RingMap& operator=(const RingMap&) = delete;
    ~RingMap()
    {
        if (p_ != MAP_FAILED) ::munmap(p_, len_);
    }
    [[nodiscard]] bool ok() const noexcept { return p_ != MAP_FAILED; }
    [[nodiscard]] uint8_t* data() const noexcept { return static_cast<uint8_t*>(p_); }

private:
    void* p_;
    size_t len_;
};

// Where the frame starts in a slot: without PACKET_TX_HAS_OFF the kernel
// reads it right after the aligned version header (tpacket_parse_header).
size_t data_offset(int version)
{
    switch (version) {
    case TPACKET_V1: return TPACKET_ALIGN(sizeof(tpacket_hdr));
    case TPACKET_V2: return TPACKET_ALIGN(sizeof(tpacket2_hdr));
    default: return TPACKET_ALIGN(sizeof(tpacket3_hdr));
    }
}

// The ring is shared with the kernel: status words are published with
// release and read with acquire ordering, as the packet_mmap document asks.
template <class Hdr>
void publish(uint8_t* slot, uint32_t frame_len)
{
    auto* h = reinterpret_cast<Hdr*>(slot);
    h->tp_len = frame_len;
    h->tp_snaplen = frame_len;
    std::atomic_ref(h->tp_status).store(TP_STATUS_SEND_REQUEST, std::memory_order_release);
}

template <class Hdr>
uint64_t status_of(uint8_t* slot)
{
    auto* h = reinterpret_cast<Hdr*>(slot);
    return std::atomic_ref(h->tp_status).load(std::memory_order_acquire);
}

void publish_slot(int version, uint8_t* slot, uint32_t frame_len)
{
    switch (version) {
    case TPACKET_V1: publish<tpacket_hdr>(slot, frame_len); break;
    case TPACKET_V2: publish<tpacket2_hdr>(slot, frame_len); break;
    default:
        reinterpret_cast<tpacket3_hdr*>(slot)->tp_next_offset = 0; // fixed-size slots only
        publish<tpacket3_hdr>(slot, frame_len);
        break;
    }
}

uint64_t slot_status(int version, uint8_t* slot)
{
    switch (version) {
    case TPACKET_V1: return status_of<tpacket_hdr>(slot);
    case TPACKET_V2: return status_of<tpacket2_hdr>(slot);
    default: return status_of<tpacket3_hdr>(slot);
    }
}

bool slot_available(uint64_t status)
{
    return (status & (TP_STATUS_SEND_REQUEST | TP_STATUS_SENDING | TP_STATUS_WRONG_FORMAT)) == 0;
}

const char* status_name(uint64_t status)
{
    if (status & TP_STATUS_WRONG_FORMAT) return "wrong_format";
    if (status & TP_STATUS_SENDING) return "sending";
    if (status & TP_STATUS_SEND_REQUEST) return "send_request";
    return "available"; // the rest are timestamp flags
}

// One block of whole frames; V3 takes the larger request with the block
// retire and private-area fields zero, as the kernel demands for a TX ring.
SysResult request_tx_ring(int fd, int version, size_t block)
{
    tpacket_req3 req{};
    req.tp_block_size = static_cast<unsigned>(block);
    req.tp_block_nr = 1;
    req.tp_frame_size = frame_size;
    req.tp_frame_nr = static_cast<unsigned>(block / frame_size);
    const socklen_t len = version == TPACKET_V3 ? sizeof(tpacket_req3) : sizeof(tpacket_req);
    return sys_result(::setsockopt(fd, SOL_PACKET, PACKET_TX_RING, &req, len));
}

// Pattern payload behind the Ethernet header the channel writes.
std::vector<uint8_t> test_frame(const traffic::Channel& ch, std::vector<uint8_t>& payload, uint32_t seed)
{
    payload.assign(payload_len, 0);
    traffic::fill_payload(payload, seed);
    return traffic::frame(ch, payload);
}

Result run_tx_ring(const Context& ctx, int version)
{
    const int v = version + 1; // TPACKET_V1 is 0
    nlohmann::json ev = {{"version", v},
                         {"frame_len", nullptr},
                         {"sent", nullptr},
                         {"slot_status_after", nullptr},
                         {"slot_status_name", nullptr},
                         {"received", nullptr},
                         {"bytes_verified", false},
                         {"witness", nullptr},
                         {"zero_copy", nullptr}};
    auto oc = traffic::open_channel(traffic::Kind::packet_raw);
    if (!oc.channel) return channel_failed(ctx, oc);
    const traffic::CloseTogether closing(*oc.channel);
    const traffic::Channel& ch = *oc.channel;
    const int fd = ch.tx.get();
    const std::string vname = "TPACKET_V" + std::to_string(v);

    if (auto r = sys::setsockopt_int(fd, SOL_PACKET, PACKET_VERSION, version); !r.ok()) {
        return from_errno(ctx, "setsockopt(PACKET_VERSION, " + vname + ") on a packet socket", r.err, {}, ev);
    }
    const size_t block = page_size(); // one block of frame_size slots
    if (auto r = request_tx_ring(fd, version, block); !r.ok()) {
        return from_errno(ctx, "setsockopt(PACKET_TX_RING) with " + vname, r.err,
                          r.err == EINVAL ? "the kernel has no tx ring for this tpacket version" : "", ev);
    }
    RingMap ring(::mmap(nullptr, block, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), block);
    if (!ring.ok()) return from_errno(ctx, "mmap() of the packet tx ring", errno, {}, ev);
    bound_send_wait(fd, ctx.wait_ms);

    // The witness below is a race (see the catalog entry's quiet mark):
    // from here on nothing else may be running or exiting in the namespace.
    if (!await_settled(ctx)) ev["earlier_probes_exited"] = false;

    std::vector<uint8_t> original;
    const std::vector<uint8_t> bytes = test_frame(ch, original, 0x7100U + static_cast<uint32_t>(v));
    uint8_t* slot = ring.data();
    uint8_t* data = slot + data_offset(version);
    std::memcpy(data, bytes.data(), bytes.size());
    ev["frame_len"] = bytes.size();
    publish_slot(version, slot, static_cast<uint32_t>(bytes.size()));

    // MSG_DONTWAIT: tpacket_snd then returns once the frame is handed to the
    // device instead of waiting (sk_sndtimeo) on po->skb_completion for the
    // skb destructor (tpacket_destruct_skb) to hand the slot back; the wait
    // and its ETIMEDOUT come from 89ed5b519004 "af_packet: Block execution
    // of tasks waiting for transmit to complete in AF_PACKET" (5.3). Where
    // the kernel keeps the ring's skb alive until our own receiver reads it
    // (seen on Debian's 7.2: send() failed with ETIMEDOUT, slot "sending"),
    // a blocking send() waits for a read that comes only after it, so
    // the wait says nothing about the ring. Whether the slot comes back is
    // checked below, after the receiver has read the frame.
    const SysResult sent = sys_result(::send(fd, nullptr, 0, MSG_DONTWAIT));
    ev["slot_status_at_send"] = slot_status(version, slot);
    if (!sent.ok()) {
        return from_errno(ctx, "send() of a " + vname + " tx ring frame on lo", sent.err, {}, ev);
    }
    ev["sent"] = sent.value;

    // The ring pages may still be in the queued skb: rewrite the payload in
    // the slot now, and the bytes that arrive tell a copy from a reference.
    std::vector<uint8_t> overwritten(payload_len);
    traffic::fill_payload(overwritten, 0x7180U + static_cast<uint32_t>(v));
    std::memcpy(data + ETH_HLEN, overwritten.data(), overwritten.size());

    const traffic::Received got = receive(ch, payload_len, ctx.wait_ms);
    ev["received"] = got.bytes.size();
    traffic::note_foreign(ev, got.foreign);
    // The slot returns when the skb is freed; give it the probe's wait. This
    // stays a short poll of the status word: the kernel offers no event for
    // one slot's return. POLLOUT says nothing about it: packet_poll() starts
    // from datagram_poll(), which sets EPOLLOUT whenever the socket's send
    // buffer has room, and adds EPOLLOUT when the frame at tx_ring.head (the
    // next one, not ours) is available; tpacket_destruct_skb() only sets
    // the status and completes po->skb_completion, which only a blocking
    // send() waits on (torvalds/linux net/packet/af_packet.c at
    // 006df0173821). On the host the slot is back by the first check, so
    // the loop costs nothing; the probe's time is RCU grace periods in
    // PACKET_TX_RING and close (synchronize_net), not this wait.
    uint64_t status = slot_status(version, slot);
    for (int waited = 0; !slot_available(status) && waited < ctx.wait_ms; ++waited) {
        ::usleep(1000);
        status = slot_status(version, slot);
    }
    ev["slot_status_after"] = status;
    ev["slot_status_name"] = status_name(status);
    if (got.err != 0) return from_errno(ctx, "recvfrom() on the packet receiver", got.err, {}, ev);
    const traffic::Witness w = traffic::classify_witness(got.bytes, original, overwritten);
    ev["witness"] = traffic::witness_name(w);
    ev["zero_copy"] = traffic::witness_zero_copy(w);
    const bool one_frame = got.sizes.size() == 1;
    ev["bytes_verified"] = one_frame && w != traffic::Witness::neither;

    if (static_cast<size_t>(sent.value) != bytes.size()) {
        return failed("send() of a " + vname + " tx ring frame returned " + std::to_string(sent.value) +
                          ", expected " + std::to_string(bytes.size()),
                      ev);
    }
    if (got.bytes.empty()) {
        return failed("the " + vname + " tx ring frame never reached the packet receiver on lo", ev);
    }
    if (!one_frame || w == traffic::Witness::neither) {
        return failed("the " + vname + " tx ring frame arrived corrupted (" + std::to_string(got.sizes.size()) +
                          " frames, " + std::to_string(got.bytes.size()) + " bytes)",
                      ev);
    }
    if (!slot_available(status)) {
        return failed("the " + vname + " tx ring slot did not return to TP_STATUS_AVAILABLE after send() (" +
                          status_name(status) + ")",
                      ev);
    }
    const char* how = w == traffic::Witness::original
                          ? "receiver saw the bytes from send time (copied)"
                          : "receiver saw bytes rewritten in the ring after send returned (zero-copy)";
    return supported(std::to_string(bytes.size()) + "-byte frame sent from the " + vname +
                         " tx ring, slot returned, received and verified; " + how,
                     ev);
}

Result run_qdisc_bypass(const Context& ctx)
{
    nlohmann::json ev = {{"accepted", false}, {"received", nullptr}, {"bytes_verified", false}};
    auto oc = traffic::open_channel(traffic::Kind::packet_raw);
    if (!oc.channel) return channel_failed(ctx, oc);
    const traffic::CloseTogether closing(*oc.channel);
    const traffic::Channel& ch = *oc.channel;
    if (auto r = sys::setsockopt_int(ch.tx.get(), SOL_PACKET, PACKET_QDISC_BYPASS, 1); !r.ok()) {
        return from_errno(ctx, "setsockopt(PACKET_QDISC_BYPASS) on a packet socket", r.err, {}, ev);
    }
    int on = 0;
    socklen_t len = sizeof on;
    const SysResult gr = sys_result(::getsockopt(ch.tx.get(), SOL_PACKET, PACKET_QDISC_BYPASS, &on, &len));
    ev["accepted"] = gr.ok() && on == 1;

    std::vector<uint8_t> payload;
    const std::vector<uint8_t> bytes = test_frame(ch, payload, 0x7200U);
    const SysResult sent = sys_result(::send(ch.tx.get(), bytes.data(), bytes.size(), 0));
    if (!sent.ok()) {
        return from_errno(ctx, "send() on a packet socket with PACKET_QDISC_BYPASS", sent.err, {}, ev);
    }
    const traffic::Received got = receive(ch, payload_len, ctx.wait_ms);
    ev["received"] = got.bytes.size();
    traffic::note_foreign(ev, got.foreign);
    if (got.err != 0) return from_errno(ctx, "recvfrom() on the packet receiver", got.err, {}, ev);
    const bool verified = got.sizes.size() == 1 && !traffic::first_mismatch(payload, got.bytes);
    ev["bytes_verified"] = verified;
    if (!ev["accepted"].get<bool>()) {
        return failed("setsockopt(PACKET_QDISC_BYPASS) succeeded but getsockopt reads it back as off", ev);
    }
    if (got.bytes.empty()) return failed("a frame sent with PACKET_QDISC_BYPASS never reached the receiver on lo", ev);
    if (!verified) return failed("a frame sent with PACKET_QDISC_BYPASS arrived corrupted", ev);
    return supported(std::to_string(bytes.size()) +
                         "-byte frame sent with PACKET_QDISC_BYPASS on, received and verified",
                     ev);
}

struct RingSpec {
    int version;
    kc::KernelCommit introduced;
};

// The ring's frames were copied on their way to our receiver up to 6.12
// (the kernel matrix: 5.10, 6.1, 6.12); the 6.18 development host and
// Debian's 7.2.13 deliver the ring's page itself. Which commit changed it
// is not identified (af_packet.c's tpacket_snd and tpacket_destruct_skb
// were not bisected), so the entry gives the first version it was seen on.
History tx_ring_history(const kc::KernelCommit& introduced)
{
    return {change(introduced, "frames sent from the mmap()ed ring", expect(Status::supported, "zero_copy", false)),
            unidentified("6.18", "the receiver reads the ring's page itself (seen on 6.18.44 and Debian 7.2.13, copy "
                                 "on 6.12.118); commit not identified",
                         expect(Status::supported, "zero_copy", true))};
}

} // namespace

void add_packet_probes(std::vector<Spec>& out)
{
    // TX_RING arrived for V1 and V2 together in 2.6.31, 69e3c75f4d54 "net:
    // TX_RING and packet mmap" (frames mapped into the skb as page frags);
    // TPACKET_V3 rings were RX-only until 4.11, 7f953ab2ba46 "af_packet:
    // TX_RING support for TPACKET_V3" (before it PACKET_TX_RING gave EINVAL).
    const RingSpec rings[] = {
        {TPACKET_V1, kc::tx_ring},
        {TPACKET_V2, kc::tx_ring},
        {TPACKET_V3, kc::tx_ring_v3},
    };
    for (const auto& r : rings) {
        const std::string v = std::to_string(r.version + 1);
        out.push_back(Spec{
            .id = "packet.tx_ring_v" + v,
            .section = "packet",
            .title = "AF_PACKET TX ring with TPACKET_V" + v,
            .supported_means = "a frame placed in an mmap()ed TPACKET_V" + v +
                               " tx ring is sent by send(), its slot returns to available, and it arrives intact",
            .capabilities = {cap_net_raw},
            .history = tx_ring_history(r.introduced),
            .needs_netns = true,
            .run = [version = r.version](const Context& ctx) { return run_tx_ring(ctx, version); },
            // Its witness is a race: the ring slot is rewritten after send()
            // returns, and whether the receiver reads the bytes before or
            // after depends on when lo's backlog is processed. With other
            // probes beside it on a 1-vCPU TCG guest (Debian 6.1.192) the
            // V3 frame read "overwritten" where alone it reads "original";
            // beside earlier probes' exiting processes the V2 frame on Debian
            // 7.2 read "original" where alone it reads "overwritten". Quiet:
            // alone, and after those processes are gone.
            .sharing = Sharing::quiet,
        });
    }

    // 3.14, d346a3fae3ff "packet: introduce PACKET_QDISC_BYPASS socket
    // option": frames go straight to the driver's xmit, skipping the qdisc.
    out.push_back(Spec{
        .id = "packet.qdisc_bypass",
        .section = "packet",
        .title = "AF_PACKET PACKET_QDISC_BYPASS",
        .supported_means = "PACKET_QDISC_BYPASS is accepted and a frame sent with it arrives intact",
        .capabilities = {cap_net_raw},
        .history = {change(kc::qdisc_bypass, "frames go straight to the driver, skipping the qdisc",
                           expect(Status::supported))},
        .needs_netns = true,
        .run = run_qdisc_bypass,
    });
}

} // namespace zc::probe
