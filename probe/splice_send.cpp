#include "probe/splice_send.hpp"

#include "core/errno_name.hpp"
#include "core/fd.hpp"
#include "core/proc_files.hpp"
#include "core/syscalls.hpp"

#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <span>

namespace zc::probe {

bool vmsplice_refused_by_policy(int err) noexcept
{
    return err == EPERM || err == EACCES || err == ENOSYS;
}

PipeFill fill_pipe(std::span<const uint8_t> bytes)
{
    PipeFill fill;
    if (const auto r = sys::pipe(fill.pipe); !r.ok()) {
        fill.failed_call = "pipe()";
        fill.err = r.err;
        return fill;
    }
    // One iovec covering exactly the bytes: the pipe gets one buffer per
    // page they touch, each referencing our page.
    const iovec iov{const_cast<uint8_t*>(bytes.data()), bytes.size()};
    const auto v = sys::vmsplice(fill.pipe.write.get(), &iov, 1, 0);
    if (v.ok()) {
        fill.moved = v.value;
        if (static_cast<size_t>(v.value) != bytes.size()) {
            fill.failed_call = "vmsplice into a pipe";
            return fill;
        }
        fill.by = "vmsplice";
        return fill;
    }
    if (!vmsplice_refused_by_policy(v.err)) {
        fill.failed_call = "vmsplice into a pipe";
        fill.err = v.err;
        return fill;
    }
    fill.vmsplice_err = v.err;
    fill.pipe = Pipe{};
    if (const auto r = sys::pipe(fill.pipe, O_DIRECT); !r.ok()) {
        fill.failed_call = "pipe2(O_DIRECT) for write() where vmsplice was refused";
        fill.err = r.err;
        return fill;
    }
    // One write() per page piece of the user range, as vmsplice would have
    // cut it: the same buffers, the pipe's pages.
    const size_t page = page_size();
    size_t done = 0;
    while (done < bytes.size()) {
        const auto at = reinterpret_cast<uintptr_t>(bytes.data() + done);
        const size_t piece = std::min(bytes.size() - done, page - at % page);
        const ssize_t n = ::write(fill.pipe.write.get(), bytes.data() + done, piece);
        if (n < 0) {
            fill.failed_call = "write into a packet-mode pipe (vmsplice refused)";
            fill.err = errno;
            fill.moved = static_cast<long>(done);
            return fill;
        }
        done += static_cast<size_t>(n);
        if (static_cast<size_t>(n) != piece) {
            fill.failed_call = "write into a packet-mode pipe (vmsplice refused)";
            fill.moved = static_cast<long>(done);
            return fill;
        }
    }
    fill.moved = static_cast<long>(done);
    fill.by = "write";
    return fill;
}

namespace {

void note_fill(nlohmann::json& evidence, const std::string& by, int vmsplice_err)
{
    evidence["pipe_filled_by"] = by.empty() ? nlohmann::json(nullptr) : nlohmann::json(by);
    if (vmsplice_err != 0) evidence["vmsplice"] = "refused: " + errno_text(vmsplice_err);
}

std::string fill_phrase(const std::string& by, int vmsplice_err)
{
    if (by != "write") return "";
    return "; the pipe was filled by write() because vmsplice was refused (" + errno_text(vmsplice_err) +
           "): its pages are the pipe's own, so whether the kernel references user pages was not measured";
}

} // namespace

void note_pipe_fill(nlohmann::json& evidence, const PipeFill& fill)
{
    note_fill(evidence, fill.by, fill.vmsplice_err);
}

std::string pipe_fill_phrase(const PipeFill& fill)
{
    return fill_phrase(fill.by, fill.vmsplice_err);
}

void note_pipe_fill(nlohmann::json& evidence, const SpliceRun& run)
{
    note_fill(evidence, run.pipe_filled_by, run.vmsplice_err);
}

std::string pipe_fill_phrase(const SpliceRun& run)
{
    return fill_phrase(run.pipe_filled_by, run.vmsplice_err);
}

SpliceRun splice_frame(const traffic::Channel& ch, const SpliceRequest& req)
{
    SpliceRun run;
    const size_t header_len = ch.header_len();
    run.frame_len = header_len + req.payload_len;
    run.pages = PageBuffer(req.offset + run.frame_len);
    uint8_t* frame = run.pages.data() + req.offset;

    run.original.resize(req.payload_len);
    traffic::fill_payload(run.original, req.seed);
    ch.write_header(req.payload_len, std::span<uint8_t>(frame, header_len));
    std::memcpy(frame + header_len, run.original.data(), req.payload_len);

    const PipeFill fill = fill_pipe(std::span<const uint8_t>(frame, run.frame_len));
    run.pipe_filled_by = fill.by;
    run.vmsplice_err = fill.vmsplice_err;
    run.vmspliced = fill.user_pages() ? fill.moved : -1;
    if (!fill.ok()) {
        run.failed_call = fill.failed_call;
        run.err = fill.err;
        run.vmspliced = fill.moved;
        return run;
    }
    const Pipe& pipe = fill.pipe;
    const auto s = sys::splice(pipe.read.get(), nullptr, ch.tx.get(), nullptr, run.frame_len, 0);
    if (!s.ok()) {
        run.failed_call = splice_into(ch);
        run.err = s.err;
        return run;
    }
    run.spliced = s.value;
    if (req.rewrite && fill.user_pages()) {
        // Before the receiver reads: if the skb still points at our page, the
        // receiver now sees these bytes instead of the spliced ones.
        run.overwritten.resize(req.payload_len);
        traffic::fill_payload(run.overwritten, req.seed ^ 0x5A5A5A5AU);
        std::memcpy(frame + header_len, run.overwritten.data(), req.payload_len);
    }
    return run;
}

Result splice_run_failure(const Context& ctx, const SpliceRun& run, nlohmann::json evidence)
{
    if (run.err == 0) {
        return failed(run.failed_call + " took " + std::to_string(run.vmspliced) + " of " +
                          std::to_string(run.frame_len) + " bytes; cannot build the frame in the pipe",
                      std::move(evidence));
    }
    std::string_view hint;
    if (run.failed_call.starts_with("splice into") && (run.err == EINVAL || run.err == EOPNOTSUPP)) {
        hint = "kernel lacks splice for this socket type";
    }
    return from_errno(ctx, run.failed_call, run.err, hint, std::move(evidence));
}

Result channel_failure(const Context& ctx, const traffic::ChannelOutcome& opened)
{
    return from_errno(ctx, opened.failed_call, opened.err, {},
                      {{"failed_call", opened.failed_call}, {"err", opened.err}});
}

std::optional<int64_t> udp_csum_errors(traffic::Kind kind)
{
    if (kind == traffic::Kind::udp4) {
        const auto text = read_text_file("/proc/net/snmp");
        if (!text) return std::nullopt;
        const auto counters = parse_snmp(*text);
        const auto it = counters.find("Udp.InCsumErrors");
        if (it == counters.end()) return std::nullopt;
        return it->second;
    }
    if (kind == traffic::Kind::udp6) {
        const auto text = read_text_file("/proc/net/snmp6");
        if (!text) return std::nullopt;
        const auto counters = parse_snmp6(*text);
        const auto it = counters.find("Udp6InCsumErrors");
        if (it == counters.end()) return std::nullopt;
        return it->second;
    }
    return std::nullopt;
}

std::string splice_into(const traffic::Channel& ch)
{
    return "splice into " + std::string(ch.info->name) + " socket";
}

History splice_zero_copy_history(traffic::Kind kind, Change first)
{
    using traffic::Kind;
    const auto zero_copy = [](bool zc) { return expect(Status::supported, "zero_copy", zc); };
    switch (kind) {
    case Kind::tcp4:
    case Kind::tcp6:
        first.predicts = zero_copy(true);
        return {first, change(kc::splice_to_sendmsg, "tcp takes the pages through sendmsg(MSG_SPLICE_PAGES), still "
                                                     "referenced", zero_copy(true))};
    case Kind::udp4:
        first.predicts = zero_copy(true);
        return {first, change(kc::udp_splice_pages, "udp_sendpage() replaced by sendmsg(MSG_SPLICE_PAGES), still "
                                                    "referenced", zero_copy(true))};
    case Kind::udp6:
        first.predicts = zero_copy(false);
        return {first, change(kc::udp6_splice_pages, "udp6 gains MSG_SPLICE_PAGES: pages referenced instead of copied",
                              zero_copy(true))};
    case Kind::unix_stream:
        // Its sendpage arrived after splice; the commit is not cited here, so
        // only the status is predicted.
        first.predicts = expect(Status::supported);
        return {first};
    case Kind::raw4_hdrincl:
    case Kind::raw4:
    case Kind::raw6:
    case Kind::packet_raw:
    case Kind::packet_dgram:
    case Kind::unix_dgram: break;
    }
    first.predicts = zero_copy(false);
    return {first};
}

} // namespace zc::probe
