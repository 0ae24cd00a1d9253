// pipe.*: the pipe half of the technique. vmsplice hands user pages to a
// pipe, the pipe is sized for a batch, unwanted page parts go to /dev/null,
// tee duplicates, and a file can feed a pipe.
#include "probe/families.hpp"

#include "core/errno_name.hpp"
#include "core/io.hpp"
#include "core/page_buffer.hpp"
#include "core/private_dir.hpp"
#include "core/proc_files.hpp"
#include "core/syscalls.hpp"
#include "traffic/payload.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace zc::probe {

namespace {

using nlohmann::json;

// vmsplice one page; afterwards the caller's writes to the page tell whether
// the pipe references it (modern kernels) or holds a copy.
Result probe_vmsplice(const Context& ctx, unsigned flags)
{
    const bool gift = (flags & SPLICE_F_GIFT) != 0;
    PageBuffer page(page_size());
    traffic::fill_pattern(page.span(), 1);
    const std::vector<uint8_t> original(page.data(), page.data() + page.size());
    Pipe p;
    if (auto r = sys::pipe(p); !r.ok()) return from_errno(ctx, "pipe()", r.err);
    iovec iov{page.data(), page.size()};
    const SysResult r = sys::vmsplice(p.write.get(), &iov, 1, flags);
    if (!r.ok()) {
        return from_errno(ctx, gift ? "vmsplice with SPLICE_F_GIFT" : "vmsplice into a pipe", r.err);
    }
    if (static_cast<size_t>(r.value) != page.size()) {
        return failed("vmsplice accepted " + std::to_string(r.value) + " of " + std::to_string(page.size()) +
                          " bytes; expected the whole page",
                      {{"vmspliced", r.value}});
    }
    traffic::fill_pattern(page.span(), 2);
    const std::vector<uint8_t> overwritten(page.data(), page.data() + page.size());
    std::vector<uint8_t> got;
    if (auto rr = read_exact(p.read.get(), got, page.size()); !rr.ok()) {
        return from_errno(ctx, "read from the vmspliced pipe", rr.err);
    }
    const traffic::Witness w = traffic::classify_witness(got, original, overwritten);
    json evidence = {{"vmspliced", r.value},
                     {"bytes_verified", w != traffic::Witness::neither},
                     {"witness", traffic::witness_name(w)},
                     {"references_user_pages", traffic::witness_zero_copy(w)}};
    if (gift) evidence["gift_flag"] = true;
    if (w == traffic::Witness::neither) {
        return failed("pipe returned bytes matching neither the page at vmsplice time nor after", evidence);
    }
    const std::string how = w == traffic::Witness::original
                                ? "the pipe holds a copy (writes after vmsplice did not show)"
                                : "the pipe references the user page (writes after vmsplice showed through)";
    return supported(std::string(gift ? "vmsplice with SPLICE_F_GIFT accepted a page; " : "vmsplice moved a page; ") +
                         how,
                     evidence);
}

Result probe_setpipe_sz_to_max(const Context& ctx)
{
    const auto max = read_sysctl_int("fs.pipe-max-size");
    if (!max) return skipped("fs.pipe-max-size is not readable, so the limit to test against is unknown");
    Pipe p;
    if (auto r = sys::pipe(p); !r.ok()) return from_errno(ctx, "pipe()", r.err);
    const SysResult r = sys::fcntl(p.write.get(), F_SETPIPE_SZ, static_cast<long>(*max));
    json evidence = {{"requested", *max}, {"pipe_max_size", *max}, {"granted", nullptr}};
    if (!r.ok()) {
        std::string hint;
        if (r.err == EPERM) {
            hint = "fs.pipe-user-pages-soft/hard limits for this user are exhausted (an environment fact)";
        }
        return from_errno(ctx, "F_SETPIPE_SZ to fs.pipe-max-size (" + std::to_string(*max) + ")", r.err, hint,
                          evidence);
    }
    evidence["granted"] = r.value;
    if (r.value < *max) {
        return failed("F_SETPIPE_SZ granted " + std::to_string(r.value) + " bytes, less than the " +
                          std::to_string(*max) + " asked",
                      evidence);
    }
    return supported("pipe grown to fs.pipe-max-size: " + std::to_string(r.value) + " bytes", evidence);
}

Result probe_setpipe_sz_beyond_max(const Context& ctx)
{
    const auto max = read_sysctl_int("fs.pipe-max-size");
    if (!max) return skipped("fs.pipe-max-size is not readable, so the limit to test against is unknown");
    // Twice the limit, at least a power of two above it so rounding cannot
    // land back under it.
    const long want = static_cast<long>(*max) * 2;
    Pipe p;
    if (auto r = sys::pipe(p); !r.ok()) return from_errno(ctx, "pipe()", r.err);
    const SysResult r = sys::fcntl(p.write.get(), F_SETPIPE_SZ, want);
    json evidence = {{"requested", want}, {"pipe_max_size", *max}, {"granted", nullptr}};
    if (!r.ok()) {
        std::string hint;
        if (r.err == EPERM) {
            hint = "going past fs.pipe-max-size needs CAP_SYS_RESOURCE in the initial user namespace; "
                   "this is an environment fact, not a kernel gap";
        }
        return from_errno(ctx, "F_SETPIPE_SZ beyond fs.pipe-max-size (" + std::to_string(want) + ")", r.err, hint,
                          evidence);
    }
    evidence["granted"] = r.value;
    return supported("pipe grown past fs.pipe-max-size to " + std::to_string(r.value) + " bytes (CAP_SYS_RESOURCE)",
                     evidence);
}

// The seed's way to drop the parts of a page that are not packet: splice
// them to /dev/null. The bytes left in the pipe must be exactly the rest.
Result probe_splice_devnull(const Context& ctx)
{
    PageBuffer page(page_size());
    traffic::fill_pattern(page.span(), 3);
    const std::vector<uint8_t> original(page.data(), page.data() + page.size());
    Pipe p;
    if (auto r = sys::pipe(p); !r.ok()) return from_errno(ctx, "pipe()", r.err);
    Fd null;
    if (auto r = sys::open("/dev/null", O_WRONLY, null); !r.ok()) return from_errno(ctx, "open /dev/null", r.err);
    iovec iov{page.data(), page.size()};
    if (auto r = sys::vmsplice(p.write.get(), &iov, 1, 0); !r.ok()) {
        return from_errno(ctx, "vmsplice into a pipe", r.err);
    }
    const size_t head = 100;
    const SysResult r = sys::splice(p.read.get(), nullptr, null.get(), nullptr, head, 0);
    json evidence = {{"dropped", nullptr}, {"remaining_verified", false}};
    if (!r.ok()) return from_errno(ctx, "splice from a pipe to /dev/null", r.err, {}, evidence);
    evidence["dropped"] = r.value;
    if (static_cast<size_t>(r.value) != head) {
        return failed("splice to /dev/null dropped " + std::to_string(r.value) + " of " + std::to_string(head) +
                          " bytes",
                      evidence);
    }
    std::vector<uint8_t> rest;
    if (auto rr = read_exact(p.read.get(), rest, page.size() - head); !rr.ok()) {
        return from_errno(ctx, "read after splice to /dev/null", rr.err);
    }
    const bool ok = !traffic::first_mismatch(std::span(original).subspan(head), rest);
    evidence["remaining_verified"] = ok;
    if (!ok) return failed("bytes left in the pipe after splice to /dev/null are not the page's tail", evidence);
    return supported("100 bytes spliced to /dev/null; the remaining " + std::to_string(rest.size()) +
                         " bytes stayed in order",
                     evidence);
}

Result probe_tee(const Context& ctx)
{
    std::vector<uint8_t> data(3000);
    traffic::fill_pattern(data, 4);
    Pipe a, b;
    if (auto r = sys::pipe(a); !r.ok()) return from_errno(ctx, "pipe()", r.err);
    if (auto r = sys::pipe(b); !r.ok()) return from_errno(ctx, "pipe()", r.err);
    if (::write(a.write.get(), data.data(), data.size()) != static_cast<ssize_t>(data.size())) {
        return failed("write into a pipe failed: " + errno_text(errno));
    }
    const SysResult r = sys::tee(a.read.get(), b.write.get(), data.size(), SPLICE_F_NONBLOCK);
    if (!r.ok()) return from_errno(ctx, "tee between two pipes", r.err);
    std::vector<uint8_t> from_a, from_b;
    read_exact(a.read.get(), from_a, data.size());
    read_exact(b.read.get(), from_b, static_cast<size_t>(r.value));
    const bool a_ok = !traffic::first_mismatch(data, from_a);
    const bool b_ok = static_cast<size_t>(r.value) == data.size() && !traffic::first_mismatch(data, from_b);
    json evidence = {{"teed", r.value}, {"source_intact", a_ok}, {"copy_verified", b_ok}};
    if (!a_ok || !b_ok) return failed("tee did not duplicate the bytes exactly", evidence);
    return supported("tee duplicated 3000 bytes into a second pipe and left the source intact", evidence);
}

Result probe_splice_from_file(const Context& ctx)
{
    const std::string name = "pipe-splice-from-file";
    const std::string path = ctx.tmpdir + "/" + name;
    std::vector<uint8_t> data(2 * page_size() + 500);
    traffic::fill_pattern(data, 5);
    Fd file;
    if (auto r = create_private_file(ctx.tmpdir, name, file); !r.ok()) {
        return from_errno(ctx, "create " + path, r.err);
    }
    ::unlink(path.c_str()); // the descriptor keeps it alive; nothing left behind
    if (::pwrite(file.get(), data.data(), data.size(), 0) != static_cast<ssize_t>(data.size())) {
        return failed("write of the temp file failed: " + errno_text(errno));
    }
    Pipe p;
    if (auto r = sys::pipe(p); !r.ok()) return from_errno(ctx, "pipe()", r.err);
    loff_t off = 0;
    const SysResult r = sys::splice(file.get(), &off, p.write.get(), nullptr, data.size(), SPLICE_F_NONBLOCK);
    if (!r.ok()) return from_errno(ctx, "splice from a regular file into a pipe", r.err);
    std::vector<uint8_t> got;
    read_exact(p.read.get(), got, static_cast<size_t>(r.value));
    const bool ok = static_cast<size_t>(r.value) == data.size() && !traffic::first_mismatch(data, got);
    json evidence = {{"spliced", r.value}, {"bytes_verified", ok}};
    if (!ok) return failed("bytes spliced from the file do not match what was written", evidence);
    return supported(std::to_string(r.value) + " bytes spliced from a file into a pipe and verified", evidence);
}

History vmsplice_history()
{
    return {change(kc::vmsplice_syscall, "vmsplice(2) maps user pages into a pipe", expect(Status::supported))};
}

History setpipe_history()
{
    return {change(kc::setpipe_sz, "F_SETPIPE_SZ and fs.pipe-max-size", expect(Status::supported))};
}

} // namespace

void add_pipe_probes(std::vector<Spec>& out)
{
    // vmsplice(2) itself: 912d35f86781 (2.6.17). Whether the pipe then
    // references or copies the user page is what the evidence records.
    out.push_back({"pipe.vmsplice", "pipe", "vmsplice of a user page into a pipe",
                   "vmsplice accepts a whole page; evidence.references_user_pages says whether the pipe "
                   "references the page (true) or copied it (false)",
                   {}, vmsplice_history(), false, [](const Context& c) { return probe_vmsplice(c, 0); }});
    // SPLICE_F_GIFT: 7afa6fd037e5 (2.6.17), the seed passes it.
    out.push_back({"pipe.vmsplice_gift", "pipe", "vmsplice with SPLICE_F_GIFT",
                   "vmsplice accepts SPLICE_F_GIFT for a whole, page-aligned page",
                   {}, {change(kc::vmsplice_gift, "vmsplice(2) takes SPLICE_F_GIFT", expect(Status::supported))}, false,
                   [](const Context& c) { return probe_vmsplice(c, SPLICE_F_GIFT); }});
    // F_SETPIPE_SZ and fs.pipe-max-size: 35f3d14dbbc5 (2.6.35).
    out.push_back({"pipe.setpipe_sz", "pipe", "F_SETPIPE_SZ up to fs.pipe-max-size",
                   "a pipe can be grown to fs.pipe-max-size, room for a batch of pages", {}, setpipe_history(),
                   false, probe_setpipe_sz_to_max});
    out.push_back({"pipe.setpipe_sz_beyond_max", "pipe", "F_SETPIPE_SZ beyond fs.pipe-max-size",
                   "a pipe can be grown past fs.pipe-max-size (needs CAP_SYS_RESOURCE; EPERM without it is an "
                   "environment fact)",
                   {cap_sys_resource}, setpipe_history(), false, probe_setpipe_sz_beyond_max});
    // /dev/null's splice_write (drivers/char/mem.c splice_write_null); the
    // commit that added it is not pinned down, so it is left unknown.
    out.push_back({"pipe.splice_devnull", "pipe", "splice from a pipe to /dev/null",
                   "part of a vmspliced page can be dropped into /dev/null, leaving the rest in order",
                   {}, {unidentified("", "drivers/char/mem.c: splice_write_null lets /dev/null take splice; commit not identified")},
                   false,
                   probe_splice_devnull});
    // tee(2): 70524490ee2e (2.6.17).
    out.push_back({"pipe.tee", "pipe", "tee between two pipes",
                   "tee duplicates a pipe's bytes into another pipe without consuming them", {},
                   {change(kc::tee_syscall, "tee(2) duplicates pipe buffers", expect(Status::supported))}, false, probe_tee});
    // splice(2) from a file: 5274f052e7b3 (2.6.17).
    out.push_back({"pipe.splice_from_file", "pipe", "splice from a regular file into a pipe",
                   "bytes of a regular file can be spliced into a pipe and read back exactly", {},
                   {change(kc::splice_syscall, "splice(2) from a file into a pipe", expect(Status::supported))}, false,
                   probe_splice_from_file});
}

} // namespace zc::probe
