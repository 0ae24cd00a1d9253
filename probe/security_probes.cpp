// Security regressions on the splice path, tested by behaviour on objects the
// probe owns: never by kernel version, never on a file it did not create.
#include "probe/cve_2026_verdict.hpp"
#include "probe/families.hpp"

#include "core/errno_name.hpp"
#include "core/io.hpp"
#include "core/page_buffer.hpp"
#include "core/private_dir.hpp"
#include "core/sys_result.hpp"
#include "core/syscalls.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <span>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zc::probe {

namespace {

// A call that fails here says nothing about the bug: "unsupported" would
// read as "affected", so only policy refusals keep their own verdict.
Result inconclusive(const Context& ctx, std::string_view what, int err, const nlohmann::json& ev)
{
    if (classify_errno(err) == Status::blocked) return from_errno(ctx, what, err, {}, ev);
    Result r = failed(std::string(what) + " failed: " + errno_text(err) + "; cannot test for dirty pipe", ev);
    r.err = err;
    return r;
}

// Every slot of the pipe's ring gets a buffer from an anonymous write (which
// carries PIPE_BUF_FLAG_CAN_MERGE) and is released again. A kernel that does
// not reset flags for a new pipe_buffer leaves that flag on the next one.
SysResult fill_and_drain(const Pipe& pipe)
{
    const SysResult size = sys::fcntl(pipe.write.get(), F_GETPIPE_SZ, 0);
    if (!size.ok()) return size;
    std::vector<uint8_t> chunk(page_size(), 'P');
    for (long left = size.value; left > 0;) {
        const size_t n = std::min(static_cast<size_t>(left), chunk.size());
        const SysResult w = sys_result(::write(pipe.write.get(), chunk.data(), n));
        if (!w.ok()) {
            if (w.err == EINTR) continue;
            if (w.err == EAGAIN) break; // full: every slot is in use
            return w;
        }
        left -= w.value;
    }
    for (;;) {
        const SysResult r = sys_result(::read(pipe.read.get(), chunk.data(), chunk.size()));
        if (!r.ok()) {
            if (r.err == EINTR) continue;
            if (r.err == EAGAIN) return SysResult{0, 0};
            return r;
        }
        if (r.value == 0) return SysResult{0, 0};
    }
}

// 9d2231c5d74e "lib/iov_iter: initialize "flags" in new pipe_buffer" fixed
// CVE-2022-0847 (5.17, 5.16.11, 5.15.25, 5.10.102); f6dd975583bd "pipe: merge
// anon_pipe_buf*_ops" (5.8) made the stale flag allow merging. Splicing one
// byte of a read-only file puts its page-cache page into such a slot, and a
// following write() into the pipe then lands in the page cache.
Result run_dirty_pipe(const Context& ctx)
{
    constexpr loff_t splice_offset = 100;
    static constexpr std::string_view marker = "ZCPROBE";
    const size_t file_len = 2 * page_size();
    const std::string name = "dirty_pipe_probe";
    const std::string path = ctx.tmpdir + "/" + name;
    const std::vector<uint8_t> content(file_len, 'A');

    // Named in the evidence as the 2026 family names itself, so a report
    // says which CVE and fix without renderers deriving them from the id.
    const CveId id{"CVE-2022-0847", "Dirty Pipe", "9d2231c5d74e"};
    nlohmann::json ev = cve_evidence(id);
    ev["offset"] = splice_offset;
    Fd w;
    if (const SysResult r = create_private_file(ctx.tmpdir, name, w); !r.ok()) {
        return inconclusive(ctx, "open(O_CREAT) of the probe's temp file under " + ctx.tmpdir, r.err, ev);
    }
    const UnlinkGuard unlink_on_exit(path);
    if (const SysResult r = write_all(w.get(), content); !r.ok()) {
        return inconclusive(ctx, "write() of the probe's temp file", r.err, ev);
    }
    w.reset();

    Fd ro;
    if (const SysResult r = sys::open(path.c_str(), O_RDONLY | O_NOFOLLOW, ro); !r.ok()) {
        return inconclusive(ctx, "open(O_RDONLY) of the probe's temp file", r.err, ev);
    }
    Pipe pipe;
    if (const SysResult r = sys::pipe(pipe, O_NONBLOCK); !r.ok()) return inconclusive(ctx, "pipe2()", r.err, ev);
    if (const SysResult r = fill_and_drain(pipe); !r.ok()) {
        return inconclusive(ctx, "filling and draining the pipe", r.err, ev);
    }
    loff_t off = splice_offset;
    const SysResult sp = sys::splice(ro.get(), &off, pipe.write.get(), nullptr, 1, 0);
    if (!sp.ok()) return inconclusive(ctx, "splice of 1 byte from the read-only temp file into a pipe", sp.err, ev);
    if (sp.value != 1) return failed("splice from the read-only temp file into a pipe moved no byte; cannot test", ev);
    const SysResult wr = sys_result(::write(pipe.write.get(), marker.data(), marker.size()));
    if (!wr.ok()) return inconclusive(ctx, "write() into the pipe after the splice", wr.err, ev);

    // A fresh descriptor reads the shared page cache, not anything cached in ours.
    Fd check;
    if (const SysResult r = sys::open(path.c_str(), O_RDONLY | O_NOFOLLOW, check); !r.ok()) {
        return inconclusive(ctx, "reopening the probe's temp file", r.err, ev);
    }
    std::vector<uint8_t> now(file_len);
    const SysResult rd = sys_result(::pread(check.get(), now.data(), now.size(), 0));
    if (!rd.ok()) return inconclusive(ctx, "pread() of the probe's temp file", rd.err, ev);
    if (static_cast<size_t>(rd.value) != file_len) {
        return failed("pread() of the probe's temp file returned " + std::to_string(rd.value) + " of " +
                      std::to_string(file_len) + " bytes; cannot test",
                      ev);
    }
    const auto changed = static_cast<size_t>(std::count_if(now.begin(), now.end(), [](uint8_t b) { return b != 'A'; }));

    // Proof of reach, after the read-back: the pipe's first slot must hold
    // the file's page-cache page itself when the write() ran, since the bug
    // is that write() merging into that slot (pipe_write() appends to the
    // last buffer when PIPE_BUF_FLAG_CAN_MERGE is set). splice from a file
    // into a pipe hands over page-cache pages by reference
    // (filemap_splice_read() since 2cb1e08985e3 in 6.5,
    // generic_file_splice_read() before). Rewriting the spliced byte in the
    // file and reading it from the pipe shows whether the slot references
    // the page: the rewritten byte comes back.
    Reach reach;
    Fd rw;
    static constexpr std::array<uint8_t, 1> rewrite = {'W'};
    const SysResult opened = sys::open(path.c_str(), O_WRONLY | O_NOFOLLOW | O_CLOEXEC, rw);
    const SysResult wrote = opened.ok() ? pwrite_all(rw.get(), rewrite, splice_offset) : opened;
    if (!opened.ok()) {
        reach = {std::nullopt, "reopening the temp file for the rewrite witness failed: " + errno_text(opened.err)};
    } else if (!wrote.ok()) {
        reach = {std::nullopt, "pwrite() of the spliced byte for the rewrite witness failed: " + errno_text(wrote.err)};
    } else {
        char first = 0;
        const SysResult rp = sys_result(::read(pipe.read.get(), &first, 1));
        ev["pipe_first_byte"] = rp.ok() && rp.value == 1 ? nlohmann::json(std::string(1, first)) : nlohmann::json(nullptr);
        if (!rp.ok() || rp.value != 1) {
            reach = {std::nullopt, "read() of the spliced byte back from the pipe failed" +
                                       (rp.ok() ? std::string(" (no byte)") : ": " + errno_text(rp.err))};
        } else if (first == 'W') {
            reach = {true, "rewrite witness: the byte spliced into the pipe read back as rewritten in the file "
                           "afterwards, so the pipe slot referenced the page-cache page when write() ran"};
        } else if (first == 'A') {
            reach = {false, "the byte spliced into the pipe read back as spliced, not as rewritten afterwards: the "
                            "pipe held a copy, so write() could not reach the page cache"};
        } else {
            reach = {std::nullopt, "the byte spliced into the pipe read back as neither the spliced nor the rewritten one"};
        }
    }
    return cve_verdict(id, std::move(ev), changed, reach,
                       "a write() into a pipe after splicing 1 byte of a read-only temp file", "");
}

} // namespace

void add_security_probes(std::vector<Spec>& out)
{
    // Fix: 9d2231c5d74e "lib/iov_iter: initialize "flags" in new pipe_buffer"
    // (5.17; stable 5.16.11, 5.15.25, 5.10.102). Exposed by f6dd975583bd
    // "pipe: merge anon_pipe_buf*_ops" (5.8).
    out.push_back(Spec{
        .id = "security.cve_2022_0847",
        .section = "security",
        .title = "protected against CVE-2022-0847 (dirty pipe)",
        .supported_means = "a pipe write after splicing from a read-only file does not modify that file's page cache",
        .capabilities = {},
        .history = {change(kc::dirty_pipe_exposed, "a stale PIPE_BUF_FLAG_CAN_MERGE lets a pipe write merge into a "
                                                   "spliced page-cache page",
                           expect(Status::unsupported, "vulnerable", true)),
                    change(kc::dirty_pipe_fix, "the fix: a new pipe_buffer's flags start cleared",
                           expect(Status::supported, "vulnerable", false), {"5.16.11", "5.15.25", "5.10.102"})},
        .needs_netns = false,
        .run = run_dirty_pipe,
    });
}

} // namespace zc::probe
