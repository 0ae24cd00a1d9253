// io_uring: whether a ring can be set up here, which of the zero-copy
// related opcodes the kernel's own opcode probe lists, and two real
// operations on loopback: IORING_OP_SPLICE from a vmspliced pipe into TCP, and
// IORING_OP_SEND_ZC with its notification CQE and usage report.
#include "probe/families.hpp"

#include "core/errno_name.hpp"
#include "core/page_buffer.hpp"
#include "core/proc_files.hpp"
#include "core/sys_result.hpp"
#include "core/syscalls.hpp"
#include "probe/io_uring_compat.hpp"
#include "traffic/payload.hpp"
#include "traffic/socket_kinds.hpp"

#include <liburing.h>

#include <sys/uio.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <vector>

namespace zc::probe {

namespace {

constexpr unsigned ring_entries = 4;

// Owns one ring for the life of a probe; liburing keeps the fd and the mmaps.
class Ring {
public:
    Ring() = default;
    Ring(const Ring&) = delete;
    Ring& operator=(const Ring&) = delete;
    ~Ring()
    {
        if (live_) ::io_uring_queue_exit(&ring_);
    }

    SysResult init(unsigned entries)
    {
        params_ = {};
        const SysResult r = from_neg_errno(::io_uring_queue_init_params(entries, &ring_, &params_));
        live_ = r.ok();
        return r;
    }
    [[nodiscard]] io_uring* get() noexcept { return &ring_; }
    [[nodiscard]] unsigned features() const noexcept { return params_.features; }

private:
    io_uring ring_{};
    io_uring_params params_{};
    bool live_ = false;
};

struct Cqe {
    int res = 0;
    unsigned flags = 0;
};

// Submits what is queued and waits up to timeout_ms for the next completion;
// ETIME when none came in time.
SysResult next_cqe(io_uring* ring, Cqe& out, int timeout_ms)
{
    if (const SysResult s = from_neg_errno(::io_uring_submit(ring)); !s.ok()) return s;
    __kernel_timespec ts{};
    ts.tv_sec = timeout_ms / 1000;
    ts.tv_nsec = static_cast<long long>(timeout_ms % 1000) * 1'000'000;
    io_uring_cqe* cqe = nullptr;
    const SysResult r = from_neg_errno(::io_uring_wait_cqe_timeout(ring, &cqe, &ts));
    if (!r.ok()) return r;
    out = Cqe{cqe->res, cqe->flags};
    ::io_uring_cqe_seen(ring, cqe);
    return r;
}

nlohmann::json io_uring_disabled_json()
{
    const auto v = read_sysctl_int("kernel.io_uring_disabled");
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

// A failed io_uring_setup: names the switch that refused it when we can.
// ENOSYS is "the kernel lacks io_uring" only when nothing says it has it:
// kernel.io_uring_disabled lives in io_uring itself (76d3ccecfa18, 6.6), and
// /proc/kallsyms lists a strong __x64_sys_io_uring_setup only when
// CONFIG_IO_URING built it (otherwise COND_SYSCALL's weak stub). Either
// proves that something in front of the kernel (a seccomp filter) answers.
Result setup_failed(const Context& ctx, std::string_view what, int err, nlohmann::json evidence)
{
    const auto disabled = read_sysctl_int("kernel.io_uring_disabled");
    std::string hint;
    bool hidden = false;
    std::optional<bool> listed;
    if (err == EPERM || err == EACCES) {
        if (disabled && *disabled == 2) {
            hint = "kernel.io_uring_disabled = 2 disables io_uring for every process";
        } else if (disabled && *disabled == 1 && !has_capability(ctx.capabilities, cap_sys_admin)) {
            hint = "kernel.io_uring_disabled = 1 allows io_uring only to members of kernel.io_uring_group "
                   "or holders of CAP_SYS_ADMIN";
        }
    } else if (err == ENOSYS) {
        listed = kernel_has_syscall("io_uring_setup");
        evidence["kallsyms_lists_io_uring_setup"] = listed ? nlohmann::json(*listed) : nlohmann::json(nullptr);
        if (disabled || listed == true) {
            hidden = true;
            hint = std::string(disabled ? "kernel.io_uring_disabled exists" : "/proc/kallsyms lists io_uring_setup") +
                   ", so the kernel has io_uring; ";
        } else if (ctx.seccomp && *ctx.seccomp == 2) {
            hint = "the kernel lacks io_uring (5.1+), or the seccomp filter in force answers ENOSYS for it "
                   "(/proc/kallsyms and kernel.io_uring_disabled could not tell)";
        } else {
            hint = "the kernel lacks io_uring (5.1+)";
        }
    }
    Result r = from_errno(ctx, what, err, hint, std::move(evidence));
    if (hidden) {
        r.status = Status::blocked;
        r.refusal = call_refusal(ctx, "io_uring_setup", err, true);
        r.reason += refusal_text(*r.refusal);
    } else if (r.status == Status::blocked && !hint.empty() && r.refusal && !r.refusal->fix.empty()) {
        r.reason += " (fix: " + r.refusal->fix + ")";
    }
    return r;
}

// For a probe that needs a ring it could not get: the setup verdict when the
// kernel lacks or refuses io_uring, otherwise the probe could not run at all.
Result ring_unavailable(const Context& ctx, std::string_view purpose, int err)
{
    Result r = setup_failed(ctx, "io_uring_queue_init(4) for " + std::string(purpose), err,
                            {{"io_uring_disabled", io_uring_disabled_json()}});
    if (r.status == Status::unsupported || r.status == Status::blocked) return r;
    return skipped("io_uring.setup failed: io_uring_queue_init(4): " + errno_text(err) + "; cannot run " +
                   std::string(purpose));
}

struct OpcodeProbe {
    SysResult res;
    int last_op = -1;
    bool listed = false;
};

// The kernel's own opcode table (IORING_REGISTER_PROBE, 5.6). Registered
// directly rather than through io_uring_get_probe_ring(), which drops errno.
OpcodeProbe probe_opcode(io_uring* ring, int op)
{
    constexpr unsigned max_ops = 256;
    const size_t size = sizeof(io_uring_probe) + max_ops * sizeof(io_uring_probe_op);
    const std::unique_ptr<io_uring_probe, decltype(&std::free)> p(
        static_cast<io_uring_probe*>(std::calloc(1, size)), &std::free);
    if (!p) throw std::bad_alloc();
    OpcodeProbe out;
    out.res = from_neg_errno(::io_uring_register_probe(ring, p.get(), max_ops));
    if (out.res.ok()) {
        out.last_op = p->last_op;
        out.listed = ::io_uring_opcode_supported(p.get(), op) != 0;
    }
    return out;
}

struct OpcodeSpec {
    std::string_view key; // id suffix: io_uring.op_<key>
    int op;
    std::string_view name;
    std::string_view title;
    const kc::KernelCommit* introduced;
};

std::string opcode_text(const OpcodeSpec& s)
{
    return std::string(s.name) + " (opcode " + std::to_string(s.op) + ")";
}

Result run_setup(const Context& ctx)
{
    Ring ring;
    nlohmann::json ev = {{"io_uring_disabled", io_uring_disabled_json()}, {"features", nullptr}};
    if (const SysResult r = ring.init(ring_entries); !r.ok()) {
        return setup_failed(ctx, "io_uring_queue_init(4)", r.err, std::move(ev));
    }
    ev["features"] = ring.features();
    char features[16];
    std::snprintf(features, sizeof features, "0x%x", ring.features());
    return supported(std::string("io_uring_queue_init(4) set up a ring; kernel reports features ") + features,
                     std::move(ev));
}

Result run_opcode(const Context& ctx, const OpcodeSpec& s)
{
    Ring ring;
    if (const SysResult r = ring.init(ring_entries); !r.ok()) return ring_unavailable(ctx, "the opcode probe", r.err);
    const OpcodeProbe p = probe_opcode(ring.get(), s.op);
    nlohmann::json ev = {{"opcode", s.op},
                         {"probed", p.res.ok()},
                         {"last_op", p.res.ok() ? nlohmann::json(p.last_op) : nlohmann::json(nullptr)}};
    if (!p.res.ok()) {
        const std::string hint =
            p.res.err == EINVAL ? "the kernel predates IORING_REGISTER_PROBE (5.6), so it lacks " + opcode_text(s)
                                : std::string();
        return from_errno(ctx, "io_uring_register(IORING_REGISTER_PROBE)", p.res.err, hint, std::move(ev));
    }
    if (p.listed) {
        return supported("kernel's opcode probe lists " + opcode_text(s) + " as supported", std::move(ev));
    }
    return unsupported("kernel's opcode probe does not list " + opcode_text(s) + "; its last opcode is " +
                           std::to_string(p.last_op),
                       std::move(ev));
}

// "; recv: EAGAIN (...)" or " within 200 ms": why fewer bytes arrived.
std::string receive_problem(const traffic::Received& got)
{
    if (got.err != 0) return "; recv: " + errno_text(got.err);
    return got.timed_out ? " within 200 ms" : "";
}

// Overwrites the source after the kernel reported completion: the receiver's
// bytes then show whether the socket held our pages or a copy.
Result run_splice_tcp4(const Context& ctx)
{
    const size_t len = 2 * page_size();
    traffic::ChannelOutcome opened = traffic::open_channel(traffic::Kind::tcp4);
    if (!opened.channel) return from_errno(ctx, opened.failed_call, opened.err);
    const traffic::Channel& ch = *opened.channel;

    Ring ring;
    if (const SysResult r = ring.init(ring_entries); !r.ok()) return ring_unavailable(ctx, "IORING_OP_SPLICE", r.err);

    Pipe pipe;
    if (const SysResult r = sys::pipe(pipe); !r.ok()) return failed("pipe2() failed: " + errno_text(r.err));
    PageBuffer buf(len);
    traffic::fill_pattern(buf.span(), 0x10u);
    const std::vector<uint8_t> original(buf.data(), buf.data() + len);
    const iovec iov{buf.data(), len};
    const SysResult vs = sys::vmsplice(pipe.write.get(), &iov, 1, 0);
    if (!vs.ok()) return from_errno(ctx, "vmsplice into pipe", vs.err);
    if (static_cast<size_t>(vs.value) != len) {
        return failed("vmsplice into pipe moved " + std::to_string(vs.value) + " of " + std::to_string(len) + " bytes");
    }

    nlohmann::json ev = {{"opcode", IORING_OP_SPLICE}, {"spliced", 0},     {"bytes_received", 0},
                         {"bytes_verified", false},    {"witness", nullptr}, {"zero_copy", nullptr}};
    size_t spliced = 0;
    // TCP may take the pipe's contents in pieces; a few rounds are plenty.
    for (int round = 0; round < 8 && spliced < len; ++round) {
        io_uring_sqe* sqe = ::io_uring_get_sqe(ring.get());
        ::io_uring_prep_splice(sqe, pipe.read.get(), -1, ch.tx.get(), -1, static_cast<unsigned>(len - spliced), 0);
        Cqe cqe;
        if (const SysResult w = next_cqe(ring.get(), cqe, ctx.wait_ms); !w.ok()) {
            ev["spliced"] = spliced;
            return failed("waiting for the IORING_OP_SPLICE completion failed: " + errno_text(w.err) +
                              (w.err == ETIME ? "; no completion within 200 ms" : ""),
                          std::move(ev));
        }
        if (cqe.res < 0) {
            ev["spliced"] = spliced;
            return from_errno(ctx, "IORING_OP_SPLICE from pipe into tcp4 socket", -cqe.res, {}, std::move(ev));
        }
        if (cqe.res == 0) break;
        spliced += static_cast<size_t>(cqe.res);
    }
    ev["spliced"] = spliced;
    if (spliced != len) {
        return failed("IORING_OP_SPLICE from pipe into tcp4 socket moved " + std::to_string(spliced) + " of " +
                          std::to_string(len) + " bytes",
                      std::move(ev));
    }

    traffic::fill_pattern(buf.span(), 0x11u);
    const std::vector<uint8_t> overwritten(buf.data(), buf.data() + len);
    const traffic::Received got = receive(ch, len, ctx.wait_ms);
    ev["bytes_received"] = got.bytes.size();
    const traffic::Witness w = traffic::classify_witness(got.bytes, original, overwritten);
    ev["witness"] = traffic::witness_name(w);
    ev["zero_copy"] = traffic::witness_zero_copy(w);
    ev["bytes_verified"] = w != traffic::Witness::neither;
    if (got.bytes.size() != len) {
        return failed("tcp4 receiver got " + std::to_string(got.bytes.size()) + " of " + std::to_string(len) +
                          " bytes spliced by IORING_OP_SPLICE" + receive_problem(got),
                      std::move(ev));
    }
    switch (w) {
    case traffic::Witness::original:
        return supported(std::to_string(len) + " bytes spliced by IORING_OP_SPLICE, received and verified; receiver "
                                               "saw the bytes as of the splice (copied)",
                         std::move(ev));
    case traffic::Witness::overwritten:
    case traffic::Witness::mixed:
        return supported(std::to_string(len) + " bytes spliced by IORING_OP_SPLICE, received and verified; receiver "
                                               "saw bytes rewritten after the completion (zero-copy)",
                         std::move(ev));
    case traffic::Witness::neither: break;
    }
    return failed("tcp4 receiver's bytes match neither the spliced nor the rewritten source; verdict inconclusive",
                  std::move(ev));
}

struct SendZcOutcome {
    std::optional<Cqe> send;
    std::optional<Cqe> notif;
    SysResult wait; // last wait failure, if any
};

// The send CQE and, when it carries IORING_CQE_F_MORE, the notification that
// the kernel let go of our pages. Reads CQEs in whatever order they come.
void collect_zc_cqes(io_uring* ring, SendZcOutcome& out, bool want_notif, int wait_ms)
{
    while (!out.send || (want_notif && !out.notif && (out.send->flags & IORING_CQE_F_MORE))) {
        Cqe cqe;
        out.wait = next_cqe(ring, cqe, wait_ms);
        if (!out.wait.ok()) return;
        if (cqe.flags & IORING_CQE_F_NOTIF) {
            out.notif = cqe;
        } else {
            out.send = cqe;
        }
    }
}

Result run_send_zc_udp4(const Context& ctx)
{
    const size_t len = 1200;
    traffic::ChannelOutcome opened = traffic::open_channel(traffic::Kind::udp4);
    if (!opened.channel) return from_errno(ctx, opened.failed_call, opened.err);
    const traffic::Channel& ch = *opened.channel;

    Ring ring;
    if (const SysResult r = ring.init(ring_entries); !r.ok()) return ring_unavailable(ctx, "IORING_OP_SEND_ZC", r.err);
    nlohmann::json ev = {{"opcode", IORING_OP_SEND_ZC},  {"sent", nullptr},   {"notification_received", false},
                         {"usage_reported", false},      {"copied", nullptr}, {"zero_copy", nullptr},
                         {"bytes_verified", false}};
    if (const OpcodeProbe p = probe_opcode(ring.get(), IORING_OP_SEND_ZC); p.res.ok() && !p.listed) {
        return unsupported("kernel's opcode probe does not list IORING_OP_SEND_ZC (opcode " +
                               std::to_string(IORING_OP_SEND_ZC) + "); its last opcode is " + std::to_string(p.last_op),
                           std::move(ev));
    }

    PageBuffer buf(len);
    traffic::fill_pattern(buf.span().first(len), 0x20u);
    const std::vector<uint8_t> original(buf.data(), buf.data() + len);

    // 6.0 and 6.1 refuse IORING_SEND_ZC_REPORT_USAGE with EINVAL; the send
    // itself still works there, only the copied/zero-copy report is missing.
    SendZcOutcome zc;
    bool report = true;
    for (;;) {
        io_uring_sqe* sqe = ::io_uring_get_sqe(ring.get());
        ::io_uring_prep_send_zc(sqe, ch.tx.get(), buf.data(), len, 0, report ? IORING_SEND_ZC_REPORT_USAGE : 0);
        zc = {};
        collect_zc_cqes(ring.get(), zc, false, ctx.wait_ms);
        if (report && zc.send && zc.send->res == -EINVAL) {
            report = false;
            continue;
        }
        break;
    }
    ev["usage_reported"] = report;
    if (!zc.send) {
        return failed("waiting for the IORING_OP_SEND_ZC completion failed: " + errno_text(zc.wait.err) +
                          (zc.wait.err == ETIME ? "; no completion within 200 ms" : ""),
                      std::move(ev));
    }
    if (zc.send->res < 0) {
        ev["usage_reported"] = false;
        return from_errno(ctx, "IORING_OP_SEND_ZC on udp4 socket", -zc.send->res, {}, std::move(ev));
    }
    ev["sent"] = zc.send->res;

    const traffic::Received got = receive(ch, len, ctx.wait_ms);
    const bool verified = !traffic::first_mismatch(original, got.bytes);
    ev["bytes_verified"] = verified;

    collect_zc_cqes(ring.get(), zc, true, ctx.wait_ms);
    ev["notification_received"] = zc.notif.has_value();
    if (zc.notif && report) {
        const bool copied = (static_cast<unsigned>(zc.notif->res) & IORING_NOTIF_USAGE_ZC_COPIED) != 0;
        ev["copied"] = copied;
        ev["zero_copy"] = !copied;
    }

    if (static_cast<size_t>(zc.send->res) != len) {
        return failed("IORING_OP_SEND_ZC on udp4 socket sent " + std::to_string(zc.send->res) + " of " +
                          std::to_string(len) + " bytes",
                      std::move(ev));
    }
    if (!verified) {
        return failed("udp4 receiver got " + std::to_string(got.bytes.size()) + " bytes that do not match the " +
                          std::to_string(len) + " sent by IORING_OP_SEND_ZC" + receive_problem(got),
                      std::move(ev));
    }
    if (!(zc.send->flags & IORING_CQE_F_MORE)) {
        return failed("IORING_OP_SEND_ZC completion lacks IORING_CQE_F_MORE, so no notification follows; verdict "
                      "inconclusive",
                      std::move(ev));
    }
    if (!zc.notif) {
        return failed("no IORING_OP_SEND_ZC notification (IORING_CQE_F_NOTIF) within 200 ms: " +
                          errno_text(zc.wait.err),
                      std::move(ev));
    }
    const std::string head = std::to_string(len) + " bytes sent by IORING_OP_SEND_ZC, received and verified; "
                                                   "notification received";
    if (!report) {
        return supported(head + "; kernel refused IORING_SEND_ZC_REPORT_USAGE (6.2+), so whether it copied is unknown",
                         std::move(ev));
    }
    if (ev["copied"].get<bool>()) {
        return supported(head + "; it reports the kernel copied the data (loopback delivery copies by design)",
                         std::move(ev));
    }
    return supported(head + "; it reports the data went zero-copy", std::move(ev));
}

} // namespace

void add_io_uring_probes(std::vector<Spec>& out)
{
    // 2b188cc1bb85 "Add io_uring IO interface" (5.1): io_uring_setup(2).
    out.push_back(Spec{
        .id = "io_uring.setup",
        .section = "io_uring",
        .title = "io_uring ring setup",
        .supported_means = "io_uring_setup(2) creates a ring for this process",
        .capabilities = {},
        .history = {change(kc::io_uring, "io_uring_setup(2)", expect(Status::supported))},
        .needs_netns = false,
        .run = run_setup,
    });

    // 7d67af2c0134 "io_uring: add splice(2) support" (5.7).
    // f2a8d5c7a218 "io_uring: add tee(2) support" (5.8).
    // b48c312be05e "io_uring/net: simplify zerocopy send user API" (6.0) gave
    // IORING_OP_SEND_ZC its name and the F_MORE/F_NOTIF completion pair; the
    // opcode slot came from 06a5464be84e "io_uring: wire send zc request type".
    // 493108d95f14 "io_uring/net: zerocopy sendmsg" (6.1).
    static const std::vector<OpcodeSpec> opcodes = {
        {"splice", IORING_OP_SPLICE, "IORING_OP_SPLICE", "io_uring splice opcode",
         &kc::io_uring_splice},
        {"tee", IORING_OP_TEE, "IORING_OP_TEE", "io_uring tee opcode",
         &kc::io_uring_tee},
        {"send_zc", IORING_OP_SEND_ZC, "IORING_OP_SEND_ZC", "io_uring zero-copy send opcode",
         &kc::io_uring_send_zc},
        {"sendmsg_zc", IORING_OP_SENDMSG_ZC, "IORING_OP_SENDMSG_ZC", "io_uring zero-copy sendmsg opcode",
         &kc::io_uring_sendmsg_zc},
    };
    for (const OpcodeSpec& s : opcodes) {
        out.push_back(Spec{
            .id = "io_uring.op_" + std::string(s.key),
            .section = "io_uring",
            .title = std::string(s.title),
            .supported_means = "the kernel's io_uring opcode probe lists " + std::string(s.name),
            .capabilities = {},
            .history = {change(*s.introduced, "the opcode probe lists " + std::string(s.name), expect(Status::supported))},
            .needs_netns = false,
            .run = [&s](const Context& ctx) { return run_opcode(ctx, s); },
        });
    }

    // 7d67af2c0134 "io_uring: add splice(2) support" (5.7); since 6.5 splice
    // into TCP goes through sendmsg(MSG_SPLICE_PAGES) and references the pages.
    out.push_back(Spec{
        .id = "io_uring.splice_tcp4",
        .section = "io_uring",
        .title = "IORING_OP_SPLICE from a vmspliced pipe into a tcp4 socket",
        .supported_means = "IORING_OP_SPLICE moves vmspliced pipe bytes into a connected tcp4 socket and the "
                           "receiver gets them intact",
        .capabilities = {},
        .history = {change(kc::io_uring_splice, "IORING_OP_SPLICE into a socket", expect(Status::supported))},
        .needs_netns = true,
        .run = run_splice_tcp4,
    });

    // b48c312be05e "io_uring/net: simplify zerocopy send user API" (6.0);
    // the copied/zero-copy report is e307e6698165 "io_uring/net: introduce
    // IORING_SEND_ZC_REPORT_USAGE flag" (6.2).
    out.push_back(Spec{
        .id = "io_uring.send_zc_udp4",
        .section = "io_uring",
        .title = "IORING_OP_SEND_ZC on a udp4 socket with its notification",
        .supported_means = "IORING_OP_SEND_ZC sends a udp4 datagram that arrives intact, and the kernel posts the "
                           "send completion and the buffer-release notification",
        .capabilities = {},
        .history = {change(kc::io_uring_send_zc, "IORING_OP_SEND_ZC with its notification", expect(Status::supported))},
        .needs_netns = true,
        .run = run_send_zc_udp4,
    });
}

} // namespace zc::probe
