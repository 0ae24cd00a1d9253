// The 2026 splice page-cache-write family: the kernel writing in place into
// page-cache pages that splice() handed to a socket. Each probe splices a
// region of a file it created in the run's private directory and reads the
// file back; bytes that changed without a write from us mean "affected".
// Never by kernel version, never on a file the probe did not create.
#include "probe/cve_2026.hpp"
#include "probe/cve_2026_verdict.hpp"
#include "probe/families.hpp"
#include "probe/module_gate.hpp"
#include "probe/xfrm_netlink.hpp"

#include "core/errno_name.hpp"
#include "core/io.hpp"
#include "core/private_dir.hpp"
#include "core/proc_files.hpp"
#include "core/sys_result.hpp"
#include "core/syscalls.hpp"
#include "traffic/netlink.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_alg.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <optional>
#include <span>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#ifndef SOL_ALG
#define SOL_ALG 279
#endif
#ifndef UDP_ENCAP
#define UDP_ENCAP 100
#endif
#ifndef UDP_ENCAP_ESPINUDP
#define UDP_ENCAP_ESPINUDP 2
#endif

namespace zc::probe {

namespace {

constexpr const char* aead_name = "authencesn(hmac(sha256),cbc(aes))";
constexpr size_t block = 16;   // cbc(aes) block and IV size
constexpr size_t tag_len = 16; // hmac(sha256) truncated to 128 bits, as ESP does
constexpr off_t region_offset = 64;
constexpr uint8_t fill = 'A';

nlohmann::json base_evidence(const CveId& info, const std::vector<ModuleNeed>& needs)
{
    nlohmann::json mods = nlohmann::json::array();
    for (const auto& n : needs) mods.push_back(n.modules.front());
    nlohmann::json ev = cve_evidence(info);
    ev["path_available"] = nullptr;
    ev["path_errno"] = nullptr;
    ev["modules_needed"] = mods;
    ev["modules_missing"] = nlohmann::json::array();
    ev["modules_loaded_by_run"] = nlohmann::json::array();
    ev["modules_may_load"] = nullptr;
    return ev;
}


std::set<std::string> loaded_modules()
{
    const auto text = read_text_file("/proc/modules");
    return text ? parse_proc_modules(*text) : std::set<std::string>{};
}

std::string joined(const std::vector<std::string>& v)
{
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
}

// Everything a probe shares: the gate on modules, the target file, and the
// read-back verdict.
class Run {
public:
    Run(const Context& ctx, const CveId& info, std::vector<ModuleNeed> needs, std::string file_name)
        : ctx_(ctx), info_(info), needs_(std::move(needs)), name_(file_name), path_(ctx.tmpdir + "/" + file_name),
          ev_(base_evidence(info, needs_)), content_(2 * 4096, fill)
    {
    }

    nlohmann::json& evidence() { return ev_; }
    const Context& context() const { return ctx_; }
    // How the probe showed (or failed to show) that its spliced page reached
    // the vulnerable operation; verdict() turns "not changed" into "not
    // affected" only when this says reached.
    void set_reach(Reach reach) { reach_ = std::move(reach); }
    const Reach& reach() const { return reach_; }
    const std::vector<uint8_t>& content() const { return content_; }
    const std::string& path() const { return path_; }

    // Skipped when a call into the path could load a module and the user
    // did not allow it.
    std::optional<Result> module_gate()
    {
        const ModuleFacts facts = read_module_facts(needs_);
        before_ = facts.loaded;
        const auto missing = modules_missing(needs_, facts);
        ev_["modules_missing"] = missing;
        ev_["modules_may_load"] = may_autoload(facts);
        no_load_ = no_autoload_reason(facts);
        if (!no_load_.empty()) ev_["modules_no_autoload"] = no_load_;
        if (!missing.empty() && !ctx_.load_modules) {
            ev_["reached"] = false;
            ev_["reach_proof"] = "not run: modules missing";
            Result r = skipped("exposure not determined: needs kernel modules that are neither loaded nor built in (" +
                               joined(missing) +
                               "); calling into the path would make the kernel load them; --load-modules allows it");
            r.evidence = ev_;
            return r;
        }
        if (!missing.empty()) ev_["modules_allowed_to_load"] = missing; // --load-modules
        return std::nullopt;
    }

    // A private second file for a witness, so rewriting it never touches
    // the file the verdict reads back.
    std::optional<Result> create_witness_file(Fd& out, std::vector<uint8_t> content)
    {
        const std::string name = name_ + "_witness";
        Fd w;
        if (const SysResult r = create_private_file(ctx_.tmpdir, name, w); !r.ok()) {
            return inconclusive("open(O_CREAT|O_EXCL) of the witness temp file under " + ctx_.tmpdir, r.err);
        }
        witness_guard_.emplace(ctx_.tmpdir + "/" + name);
        if (const SysResult r = write_all(w.get(), content); !r.ok()) {
            return inconclusive("write() of the witness temp file", r.err);
        }
        out = std::move(w);
        return std::nullopt;
    }

    // The target: created here, O_EXCL so nothing else can be it.
    std::optional<Result> create_file(Fd& out)
    {
        Fd w;
        if (const SysResult r = create_private_file(ctx_.tmpdir, name_, w); !r.ok()) {
            return inconclusive("open(O_CREAT|O_EXCL) of the probe's temp file under " + ctx_.tmpdir, r.err);
        }
        guard_.emplace(path_);
        if (const SysResult r = write_all(w.get(), content_); !r.ok()) {
            return inconclusive("write() of the probe's temp file", r.err);
        }
        out = std::move(w);
        return std::nullopt;
    }

    // A call that fails here says nothing about the bug: "unsupported" would
    // read as "affected", so only policy refusals keep their own verdict.
    Result inconclusive(std::string_view what, int err)
    {
        finish_modules();
        if (classify_errno(err) == Status::blocked) return from_errno(ctx_, what, err, {}, ev_);
        Result r = failed(std::string(what) + " failed: " + errno_text(err) + "; cannot test for " + info_.cve, ev_);
        r.err = err;
        return r;
    }

    // Something went wrong that no errno describes: the cause, no errno.
    Result inconclusive_cause(std::string_view cause)
    {
        finish_modules();
        return failed(std::string(cause) + "; cannot test for " + info_.cve, ev_);
    }

    // The path does not exist on this kernel: nothing to be affected through.
    Result no_path(std::string_view what, int err, std::string_view lacking)
    {
        finish_modules();
        return cve_path_absent(info_, ev_, what, err, lacking, no_load_);
    }

    // Reads the file back through the descriptor it was written with and
    // through a fresh one, and turns what changed into the verdict.
    Result verdict(int fd, std::string_view what_ran, std::string_view proof)
    {
        finish_modules();
        ev_["path_available"] = true;
        std::vector<uint8_t> now(content_.size());
        const SysResult rd = sys_result(::pread(fd, now.data(), now.size(), 0));
        if (!rd.ok()) return inconclusive("pread() of the probe's temp file", rd.err);
        Fd again;
        if (const SysResult r = sys::open(path_.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC, again); !r.ok()) {
            return inconclusive("reopening the probe's temp file", r.err);
        }
        std::vector<uint8_t> fresh(content_.size());
        const SysResult rd2 = sys_result(::pread(again.get(), fresh.data(), fresh.size(), 0));
        if (!rd2.ok()) return inconclusive("pread() of the reopened temp file", rd2.err);
        if (static_cast<size_t>(rd.value) != content_.size() || static_cast<size_t>(rd2.value) != content_.size()) {
            return failed("pread() of the probe's temp file returned a short read; cannot test", ev_);
        }
        // A change seen through either descriptor counts.
        const std::vector<uint8_t>& seen = bytes_changed(content_, now) != 0 ? now : fresh;
        const size_t changed = bytes_changed(content_, seen);
        if (changed != 0) {
            nlohmann::json runs = nlohmann::json::array();
            for (const auto& c : byte_changes(content_, seen)) {
                runs.push_back({{"offset", c.offset}, {"before", c.before}, {"after", c.after}});
            }
            ev_["changes"] = runs;
        }
        return cve_verdict(info_, ev_, changed, reach_, what_ran, proof);
    }

private:
    void finish_modules()
    {
        ev_["modules_loaded_by_run"] = modules_added(before_, loaded_modules());
    }

    const Context& ctx_;
    CveId info_;
    Reach reach_;
    std::vector<ModuleNeed> needs_;
    std::string name_;
    std::string path_;
    nlohmann::json ev_;
    std::vector<uint8_t> content_;
    std::set<std::string> before_;
    std::string no_load_; // why no module can load; "" = one may
    std::optional<UnlinkGuard> guard_;
    std::optional<UnlinkGuard> witness_guard_;
};

// Moves len bytes of fd at off into sock through a pipe, so the socket gets
// the file's page-cache pages rather than a copy. "" on success, else the
// step that failed with its errno in err (0: a short splice, no errno).
std::string splice_file_to_socket(int fd, loff_t off, size_t len, int sock, int& err, unsigned flags = 0)
{
    err = 0;
    Pipe pipe;
    if (const SysResult r = sys::pipe(pipe, O_CLOEXEC); !r.ok()) {
        err = r.err;
        return "pipe2()";
    }
    const SysResult in = sys::splice(fd, &off, pipe.write.get(), nullptr, len, 0);
    if (!in.ok()) {
        err = in.err;
        return "splice of the temp file into a pipe";
    }
    if (static_cast<size_t>(in.value) != len) {
        return "splice of the temp file into a pipe moved " + std::to_string(in.value) + " of " +
               std::to_string(len) + " bytes";
    }
    const SysResult out = sys::splice(pipe.read.get(), nullptr, sock, nullptr, len, flags);
    if (!out.ok()) {
        err = out.err;
        return "splice of the temp file from the pipe into the socket";
    }
    if (static_cast<size_t>(out.value) != len) {
        return "splice from the pipe into the socket moved " + std::to_string(out.value) + " of " +
               std::to_string(len) + " bytes";
    }
    return "";
}

// The verdict for a failed splice_file_to_socket().
Result splice_failure(Run& run, const std::string& what, int err)
{
    return err != 0 ? run.inconclusive(what, err) : run.inconclusive_cause(what);
}

// The crypto pieces of authencesn(hmac(sha256),cbc(aes)); module names vary
// by kernel, so each lists the usual alternatives.
std::vector<ModuleNeed> aead_needs()
{
    return {
        {{"authencesn"}, aead_name},
        {{"authenc"}, "authenc(hmac(sha256),cbc(aes))"},
        {{"hmac"}, "hmac(sha256)"},
        {{"sha256_generic", "sha256", "sha256_ssse3"}, "sha256"},
        {{"cbc"}, "cbc(aes)"},
        {{"aes_generic", "aesni_intel", "aes"}, "aes"},
    };
}

// The associated data (8 bytes from our memory, bytes 4..7 a marker that
// authencesn moves to the tag position) with the operation, its length and
// a zero IV, MSG_MORE so the rest can follow by splice or write.
constexpr std::array<uint8_t, 8> copy_fail_aad = {'S', 'E', 'Q', 'L', 'Z', 'C', 'P', 'B'};

SysResult send_aead_head(int op, uint32_t alg_op, std::span<const uint8_t> more)
{
    constexpr uint32_t assoclen = copy_fail_aad.size();
    std::array<uint8_t, CMSG_SPACE(sizeof(uint32_t)) * 2 + CMSG_SPACE(sizeof(af_alg_iv) + block)> control{};
    std::vector<uint8_t> data(copy_fail_aad.begin(), copy_fail_aad.end());
    data.insert(data.end(), more.begin(), more.end());
    msghdr msg{};
    iovec iov{data.data(), data.size()};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.data();
    msg.msg_controllen = control.size();
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_ALG;
    c->cmsg_type = ALG_SET_OP;
    c->cmsg_len = CMSG_LEN(sizeof alg_op);
    std::memcpy(CMSG_DATA(c), &alg_op, sizeof alg_op);
    c = CMSG_NXTHDR(&msg, c);
    c->cmsg_level = SOL_ALG;
    c->cmsg_type = ALG_SET_AEAD_ASSOCLEN;
    c->cmsg_len = CMSG_LEN(sizeof assoclen);
    std::memcpy(CMSG_DATA(c), &assoclen, sizeof assoclen);
    c = CMSG_NXTHDR(&msg, c);
    c->cmsg_level = SOL_ALG;
    c->cmsg_type = ALG_SET_IV;
    c->cmsg_len = CMSG_LEN(sizeof(af_alg_iv) + block);
    const uint32_t ivlen = block;
    std::memcpy(CMSG_DATA(c), &ivlen, sizeof ivlen); // the IV bytes stay zero
    return sys_result(::sendmsg(op, &msg, more.empty() ? MSG_MORE : 0));
}

// recv() that waits at most wait_ms (poll, then MSG_DONTWAIT): a witness
// that would block ends with EAGAIN instead of the probe's time limit.
SysResult recv_within(int fd, std::vector<uint8_t>& buf, int wait_ms)
{
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, wait_ms) < 0) return SysResult{-1, errno};
    return sys_result(::recv(fd, buf.data(), buf.size(), MSG_DONTWAIT));
}

// One AEAD encrypt of `plain` from our memory: the reference output.
SysResult aead_encrypt(int tfm, std::span<const uint8_t> plain, std::vector<uint8_t>& out, int wait_ms)
{
    Fd op(::accept4(tfm, nullptr, nullptr, SOCK_CLOEXEC));
    if (!op) return SysResult{-1, errno};
    if (const SysResult r = send_aead_head(op.get(), ALG_OP_ENCRYPT, plain); !r.ok()) return r;
    out.assign(copy_fail_aad.size() + plain.size() + tag_len, 0);
    const SysResult r = recv_within(op.get(), out, wait_ms);
    if (r.ok()) out.resize(static_cast<size_t>(r.value));
    return r;
}

// The Copy Fail proof of reach: algif_aead queues spliced pages in its TX
// scatterlist and runs the cipher only at recvmsg() (crypto/algif_aead.c,
// _aead_recvmsg; the pages come from af_alg_sendpage() before 6.5 and from
// extract_iter_to_sg() in af_alg_sendmsg() since 2dc334f1a63a, both
// references, no copy). An encrypt over a spliced file region that is
// rewritten between splice and recv yields the ciphertext of the rewritten
// bytes exactly when the scatterlist held the page-cache page itself: the
// page the decrypt writes into on an affected kernel.
std::optional<Result> copy_fail_witness(Run& run, int tfm)
{
    const std::vector<uint8_t> original(2 * 4096, 'w');
    Fd file;
    if (auto r = run.create_witness_file(file, original)) return r;
    const std::vector<uint8_t> plain(original.begin() + region_offset, original.begin() + region_offset + block);
    const std::vector<uint8_t> rewritten(block, 'W');
    std::vector<uint8_t> want_original, want_rewritten;
    const int wait_ms = run.context().wait_ms;
    if (const SysResult r = aead_encrypt(tfm, plain, want_original, wait_ms); !r.ok()) {
        return run.inconclusive("an AF_ALG AEAD encrypt from memory (the witness's reference)", r.err);
    }
    if (const SysResult r = aead_encrypt(tfm, rewritten, want_rewritten, wait_ms); !r.ok()) {
        return run.inconclusive("an AF_ALG AEAD encrypt from memory (the witness's reference)", r.err);
    }
    Fd op(::accept4(tfm, nullptr, nullptr, SOCK_CLOEXEC));
    if (!op) return run.inconclusive("accept4() on the AF_ALG socket", errno);
    if (const SysResult r = send_aead_head(op.get(), ALG_OP_ENCRYPT, {}); !r.ok()) {
        return run.inconclusive("sendmsg() of the witness's associated data to the AF_ALG socket", r.err);
    }
    int err = 0;
    if (const std::string what = splice_file_to_socket(file.get(), region_offset, block, op.get(), err);
        !what.empty()) {
        return splice_failure(run, what + " (AF_ALG witness)", err);
    }
    if (const SysResult r = pwrite_all(file.get(), rewritten, region_offset); !r.ok()) {
        return run.inconclusive("pwrite() of the witness temp file after the splice", r.err);
    }
    std::vector<uint8_t> got(want_original.size() + 16, 0);
    const SysResult rv = recv_within(op.get(), got, wait_ms);
    if (!rv.ok()) return run.inconclusive("recv() of the witness's AEAD encrypt over the spliced region", rv.err);
    got.resize(static_cast<size_t>(rv.value));
    const char* where = "an AF_ALG AEAD encrypt over a spliced file region rewritten before recv()";
    if (got == want_rewritten && got != want_original) {
        run.set_reach({true, std::string("rewrite witness: ") + where +
                                 " returned the ciphertext of the rewritten bytes, so the TX scatterlist held the "
                                 "page-cache page when the cipher ran"});
        run.evidence()["reach_witness"] = "rewritten";
    } else if (got == want_original) {
        // Not a proof of "not affected", on purpose. The fix, a664bf3d603d
        // "crypto: algif_aead - Revert to operating out-of-place" (Debian
        // 5.10.251-2, 6.1.170-1, 6.12.85-1), "mostly reverts 72548b093ee3
        // except for the copying of the associated data": the request's src
        // is the TX scatterlist (the spliced pages, still referenced) and
        // its dst the RX buffer; only the AAD is copied (memcpy_sglist).
        // So a fixed kernel predicts "rewritten" here, not "original": the
        // bytes seen as spliced come from some other copy (5.10.251-5,
        // fixed too, shows "rewritten"; 6.1 and newer Debian kernels show
        // "original", cause not read in their source), and a copy whose
        // origin is unknown does not prove the page never reaches the
        // in-place write. The verdict stays "exposure not determined".
        run.set_reach({false, std::string("this kernel copies spliced pages into AF_ALG (observed: ") + where +
                                  " returned the ciphertext of the bytes as spliced), so the AEAD never sees "
                                  "page-cache pages"});
        run.evidence()["reach_witness"] = "original";
    } else {
        run.set_reach({std::nullopt, std::string(where) + " returned neither expected ciphertext"});
        run.evidence()["reach_witness"] = "neither";
    }
    return std::nullopt;
}

// ---------------------------------------------------------------------------
// CVE-2026-31431 "Copy Fail". 72548b093ee3 "crypto: algif_aead - copy AAD
// from src to dst" (4.14) made algif_aead decrypt in place: the tag pages of
// the TX scatterlist (spliced file pages) are chained onto the destination.
// crypto_authenc_esn_decrypt() then stores AAD bytes 4..7 at dst offset
// assoclen + cryptlen, the first 4 bytes of the tag, before it checks the
// tag (crypto/authencesn.c at 00f5764dbb04). Fixed by a664bf3d603d "crypto:
// algif_aead - Revert to operating out-of-place" (stable 6.12.85 8b88d99341f1).
Result run_copy_fail(const Context& ctx)
{
    std::vector<ModuleNeed> needs = {{{"af_alg"}, ""}, {{"algif_aead"}, ""}};
    for (auto& n : aead_needs()) needs.push_back(std::move(n));
    Run run(ctx, {"CVE-2026-31431", "Copy Fail", "a664bf3d603d"}, needs, "copy_fail_probe");
    if (auto r = run.module_gate()) return *r;
    Fd file;
    if (auto r = run.create_file(file)) return *r;

    Fd tfm;
    if (const SysResult r = sys::socket(AF_ALG, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, tfm); !r.ok()) {
        if (r.err == EAFNOSUPPORT) return run.no_path("socket(AF_ALG)", r.err, "the AF_ALG socket family");
        return run.inconclusive("socket(AF_ALG)", r.err);
    }
    sockaddr_alg sa{};
    sa.salg_family = AF_ALG;
    std::strncpy(reinterpret_cast<char*>(sa.salg_type), "aead", sizeof sa.salg_type - 1);
    std::strncpy(reinterpret_cast<char*>(sa.salg_name), aead_name, sizeof sa.salg_name - 1);
    if (::bind(tfm.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
        const int err = errno;
        if (err == ENOENT) return run.no_path(std::string("bind(AF_ALG aead ") + aead_name + ")", err, "that algorithm");
        return run.inconclusive(std::string("bind(AF_ALG aead ") + aead_name + ")", err);
    }
    // The authenc key format (crypto/authenc.c crypto_authenc_extractkeys):
    // an rtattr carrying the big-endian encryption key length, then the
    // authentication key, then the encryption key. Any key will do: the tag
    // is wrong on purpose.
    std::vector<uint8_t> key(8 + 32 + 16, 0x5a);
    const uint16_t rta_len = 8, rta_type = 1; // CRYPTO_AUTHENC_KEYA_PARAM
    const uint32_t enckeylen = htonl(16);
    std::memcpy(key.data(), &rta_len, 2);
    std::memcpy(key.data() + 2, &rta_type, 2);
    std::memcpy(key.data() + 4, &enckeylen, 4);
    if (::setsockopt(tfm.get(), SOL_ALG, ALG_SET_KEY, key.data(), static_cast<socklen_t>(key.size())) != 0) {
        return run.inconclusive("setsockopt(ALG_SET_KEY)", errno);
    }
    if (::setsockopt(tfm.get(), SOL_ALG, ALG_SET_AEAD_AUTHSIZE, nullptr, tag_len) != 0) {
        return run.inconclusive("setsockopt(ALG_SET_AEAD_AUTHSIZE)", errno);
    }
    // Proof of reach first, on a witness file: the TX scatterlist must hold
    // the spliced page itself, not a copy, for the decrypt to write into it.
    if (auto r = copy_fail_witness(run, tfm.get())) return *r;

    Fd op(::accept4(tfm.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (!op) return run.inconclusive("accept4() on the AF_ALG socket", errno);
    if (const SysResult r = send_aead_head(op.get(), ALG_OP_DECRYPT, {}); !r.ok()) {
        return run.inconclusive("sendmsg() of the associated data to the AF_ALG socket", r.err);
    }
    // Ciphertext and tag come from the file's page cache.
    int err = 0;
    if (const std::string what = splice_file_to_socket(file.get(), region_offset, block + tag_len, op.get(), err);
        !what.empty()) {
        return splice_failure(run, what + " (AF_ALG)", err);
    }
    std::array<uint8_t, 256> out{};
    const SysResult rv = sys_result(::recv(op.get(), out.data(), out.size(), 0));
    run.evidence()["decrypt_errno"] = rv.ok() ? nullptr : nlohmann::json(errno_name(rv.err).value_or("?"));
    if (rv.ok()) {
        return run.inconclusive_cause("the AEAD decrypt with a wrong tag succeeded (recv() returned " +
                                      std::to_string(rv.value) + " bytes), so its tag check did not run as expected");
    }
    if (rv.err != EBADMSG) return run.inconclusive("recv() of the AEAD decrypt", rv.err);
    return run.verdict(file.get(), "an authencesn AEAD decrypt over spliced file pages",
                       "the decrypt ran and failed its tag check with EBADMSG");
}

// ---------------------------------------------------------------------------
// What both ESP probes build on loopback: an inbound ESP-in-UDP state
// (authencesn with ESN, so ESP input stores the high sequence bits into the
// ICV bytes before it checks the tag), its encapsulating receiver and a
// connected sender.
std::vector<ModuleNeed> esp_needs()
{
    std::vector<ModuleNeed> needs = {{{"xfrm_user"}, ""}, {{"esp4"}, ""}};
    for (auto& n : aead_needs()) needs.push_back(std::move(n));
    needs.push_back({{"echainiv"}, "echainiv(authencesn(hmac(sha256),cbc(aes)))"});
    needs.push_back({{"drbg"}, "stdrng"}); // echainiv's seed on older kernels
    return needs;
}

struct EspLoopback {
    Fd rx;
    Fd tx;
    xfrm::Socket nl;
    xfrm::EspSa sa;
    uint32_t failed_before = 0;
};

SysResult bound_udp4(Fd& s, uint16_t& port)
{
    if (const SysResult r = sys::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0, s); !r.ok()) return r;
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(s.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return SysResult{-1, errno};
    socklen_t len = sizeof a;
    if (::getsockname(s.get(), reinterpret_cast<sockaddr*>(&a), &len) != 0) return SysResult{-1, errno};
    port = ntohs(a.sin_port);
    return SysResult{0, 0};
}

// The state, the sockets and the integrity_failed count before any packet;
// a Result when the path is missing or a call failed.
std::optional<Result> setup_esp_loopback(Run& run, EspLoopback& esp)
{
    const uint32_t lo = htonl(INADDR_LOOPBACK);
    uint16_t rx_port = 0, tx_port = 0;
    if (const SysResult r = bound_udp4(esp.rx, rx_port); !r.ok()) {
        return run.inconclusive("udp4 receiver on loopback", r.err);
    }
    if (const SysResult r = bound_udp4(esp.tx, tx_port); !r.ok()) {
        return run.inconclusive("udp4 sender on loopback", r.err);
    }
    if (const SysResult r = xfrm::open_socket(esp.nl); !r.ok()) {
        if (r.err == EPROTONOSUPPORT) return run.no_path("socket(NETLINK_XFRM)", r.err, "xfrm netlink (xfrm_user)");
        return run.inconclusive("socket(NETLINK_XFRM)", r.err);
    }
    xfrm::EspSa& sa = esp.sa;
    sa.spi = 0x7a637072; // "zcpr"
    sa.address = lo;
    sa.encap_sport = tx_port;
    sa.encap_dport = rx_port;
    sa.auth_key.assign(32, 0x5a);
    sa.enc_key.assign(16, 0xa5);
    if (const xfrm::Outcome r = xfrm::add_esp_sa(esp.nl, sa); !r.ok()) {
        if (r.err == 0) return run.inconclusive_cause(r.cause);
        if (r.err == EPROTONOSUPPORT) return run.no_path("XFRM_MSG_NEWSA for ESP", r.err, "ESP (esp4)");
        if (r.err == ENOSYS || r.err == ENOENT) {
            return run.no_path("XFRM_MSG_NEWSA for ESP with authencesn(hmac(sha256),cbc(aes))", r.err,
                               "those algorithms");
        }
        return run.inconclusive("XFRM_MSG_NEWSA for an ESP-in-UDP state", r.err);
    }
    const int encap = UDP_ENCAP_ESPINUDP;
    if (::setsockopt(esp.rx.get(), IPPROTO_UDP, UDP_ENCAP, &encap, sizeof encap) != 0) {
        const int err = errno;
        if (err == ENOPROTOOPT) return run.no_path("setsockopt(UDP_ENCAP_ESPINUDP)", err, "ESP-in-UDP");
        return run.inconclusive("setsockopt(UDP_ENCAP_ESPINUDP)", err);
    }
    if (const xfrm::Outcome r = xfrm::integrity_failed(esp.nl, sa, esp.failed_before); !r.ok()) {
        return r.err != 0 ? run.inconclusive("XFRM_MSG_GETSA", r.err) : run.inconclusive_cause(r.cause);
    }
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_addr.s_addr = lo;
    to.sin_port = htons(rx_port);
    if (::connect(esp.tx.get(), reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
        return run.inconclusive("connect() of the udp4 sender", errno);
    }
    return std::nullopt;
}

// The ESP header (SPI, sequence 1) and a zero IV, then `extra` bytes of
// ciphertext, all from our memory.
std::vector<uint8_t> esp_head(const xfrm::EspSa& sa, size_t extra)
{
    std::vector<uint8_t> head(8 + block + extra, 'M');
    const uint32_t spi = htonl(sa.spi), seq = htonl(1);
    std::memcpy(head.data(), &spi, 4);
    std::memcpy(head.data() + 4, &seq, 4);
    std::fill(head.begin() + 8, head.begin() + 8 + block, 0);
    return head;
}

// Loopback delivers at once; waits a little for the state's counter to
// rise and records both values in the evidence.
std::optional<Result> wait_integrity_failed(const Context& ctx, Run& run, EspLoopback& esp, uint32_t& after)
{
    after = esp.failed_before;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ctx.wait_ms);
    while (after == esp.failed_before && std::chrono::steady_clock::now() < deadline) {
        if (const xfrm::Outcome r = xfrm::integrity_failed(esp.nl, esp.sa, after); !r.ok()) {
            return r.err != 0 ? run.inconclusive("XFRM_MSG_GETSA", r.err) : run.inconclusive_cause(r.cause);
        }
        if (after == esp.failed_before) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    run.evidence()["integrity_failed_before"] = esp.failed_before;
    run.evidence()["integrity_failed_after"] = after;
    return std::nullopt;
}

// The verdict once the packet is sent: a change counts even if the counter
// did not move; no change is "not affected" only when ESP input ran (the
// counter rose) and the witness showed the spliced page still referenced.
// A failed read-back keeps its own error.
Result esp_verdict(Run& run, int file, const EspLoopback& esp, uint32_t failed_after, std::string_view what_ran,
                   std::string_view proof, std::string_view no_proof)
{
    if (failed_after == esp.failed_before) {
        run.set_reach({false, std::string(no_proof)});
        return run.verdict(file, what_ran, "");
    }
    return run.verdict(file, what_ran, proof);
}

// Udp InCsumErrors of this namespace.
std::optional<uint64_t> udp_in_csum_errors()
{
    const auto text = read_text_file("/proc/net/snmp");
    return text ? snmp_counter(*text, "Udp", "InCsumErrors") : std::nullopt;
}

SysResult bound_udp4(Fd& s, uint16_t& port);

// The proof of reach for the ESP probes, on a plain udp4 pair in the probe's
// namespace and a witness file, in the same shape as the probe's datagram:
// head_len bytes from memory with MSG_MORE, spliced_len bytes of the file
// with SPLICE_F_MORE (the socket stays corked), the file region rewritten,
// then a zero-length send() uncorks. With MSG_MORE the datagram is
// CHECKSUM_NONE and ip_append_page()/__ip_append_data() sum the spliced
// bytes at append (net/ipv4/ip_output.c, csum_page before 6.5; the
// MSG_SPLICE_PAGES path since 7da0dde68486): a page still referenced at
// uncork carries the rewritten bytes under the old sum, and the receiver
// drops it counting Udp InCsumErrors (or delivers the rewritten bytes where
// nothing was summed). A kernel that copied at append delivers the bytes
// as spliced: ESP would then never see page-cache pages.
std::optional<Result> udp_reach_witness(Run& run, size_t head_len, size_t spliced_len, bool no_pmtudisc,
                                        std::string_view where)
{
    const std::vector<uint8_t> original(2 * 4096, 'w');
    Fd file;
    if (auto r = run.create_witness_file(file, original)) return r;
    Fd rx, tx;
    uint16_t rx_port = 0, tx_port = 0;
    if (const SysResult r = bound_udp4(rx, rx_port); !r.ok()) return run.inconclusive("udp4 witness receiver", r.err);
    if (const SysResult r = bound_udp4(tx, tx_port); !r.ok()) return run.inconclusive("udp4 witness sender", r.err);
    if (no_pmtudisc) {
        const int dont = IP_PMTUDISC_DONT;
        if (::setsockopt(tx.get(), IPPROTO_IP, IP_MTU_DISCOVER, &dont, sizeof dont) != 0) {
            return run.inconclusive("setsockopt(IP_MTU_DISCOVER) of the witness sender", errno);
        }
    }
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    to.sin_port = htons(rx_port);
    if (::connect(tx.get(), reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
        return run.inconclusive("connect() of the udp4 witness sender", errno);
    }
    const std::vector<uint8_t> head(head_len, 'h');
    const std::vector<uint8_t> rewritten(spliced_len, 'W');
    const auto csum_before = udp_in_csum_errors();
    if (const SysResult r = sys_result(::send(tx.get(), head.data(), head.size(), MSG_MORE)); !r.ok()) {
        return run.inconclusive("send(MSG_MORE) of the witness head", r.err);
    }
    int err = 0;
    if (const std::string what =
            splice_file_to_socket(file.get(), region_offset, spliced_len, tx.get(), err, SPLICE_F_MORE);
        !what.empty()) {
        return splice_failure(run, what + " (udp4 witness)", err);
    }
    if (const SysResult r = pwrite_all(file.get(), rewritten, region_offset); !r.ok()) {
        return run.inconclusive("pwrite() of the witness temp file after the splice", r.err);
    }
    if (const SysResult r = sys_result(::send(tx.get(), nullptr, 0, 0)); !r.ok()) {
        return run.inconclusive("send() uncorking the witness datagram", r.err);
    }
    std::vector<uint8_t> got(head_len + spliced_len + 64);
    // Until the datagram is there or the wait is over; a rise of Udp
    // InCsumErrors means it was dropped and will not come (the namespace's
    // count is ours: this probe runs alone or in a namespace of its own).
    pollfd p{rx.get(), POLLIN, 0};
    int ready = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(run.context().wait_ms);
    for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
        if (left <= 0) break;
        ready = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left, 2)));
        if (ready > 0) break;
        if (ready < 0 && errno != EINTR) break;
        const auto now = udp_in_csum_errors();
        if (csum_before && now && *now > *csum_before) break;
    }
    long n = -1;
    if (ready > 0) {
        const SysResult r = sys_result(::recv(rx.get(), got.data(), got.size(), MSG_DONTWAIT));
        if (!r.ok() && r.err != EAGAIN) return run.inconclusive("recv() of the witness datagram", r.err);
        if (r.ok()) n = r.value;
    }
    const auto csum_after = udp_in_csum_errors();
    std::optional<bool> rose;
    if (csum_before && csum_after) rose = *csum_after > *csum_before;
    WitnessSeen seen = WitnessSeen::nothing;
    if (n >= 0) {
        got.resize(static_cast<size_t>(n));
        const std::vector<uint8_t> as_spliced(original.begin() + region_offset,
                                              original.begin() + region_offset + static_cast<long>(spliced_len));
        const bool size_ok = got.size() == head_len + spliced_len;
        const std::vector<uint8_t> tail(size_ok ? got.begin() + static_cast<long>(head_len) : got.end(), got.end());
        seen = size_ok && tail == rewritten     ? WitnessSeen::rewritten
               : size_ok && tail == as_spliced ? WitnessSeen::original
                                                : WitnessSeen::other;
    }
    nlohmann::json w = {{"seen", seen == WitnessSeen::rewritten  ? "rewritten"
                                 : seen == WitnessSeen::original ? "original"
                                 : seen == WitnessSeen::nothing  ? "nothing"
                                                                 : "other"},
                        {"in_csum_errors_rose", rose ? nlohmann::json(*rose) : nlohmann::json(nullptr)},
                        {"head_len", head_len},
                        {"spliced_len", spliced_len}};
    run.evidence()["reach_witness"] = w;
    run.set_reach(udp_witness_reach(seen, rose, where));
    return std::nullopt;
}

// ---------------------------------------------------------------------------
// CVE-2026-43284 "Dirty Frag", ESP half. The IPv4 UDP append path did not
// mark spliced fragments SKBFL_SHARED_FRAG, so esp_input() took the
// "private, nonlinear" shortcut past skb_cow_data() and decrypted in place
// over the page cache; with ESN, authencesn's hi-seq store lands in the ICV
// bytes before the tag check. Fixed by f4c50a4034e6 (net.git) marking the
// fragments and making esp_input() cow shared frags.
Result run_dirty_frag_esp(const Context& ctx)
{
    Run run(ctx, {"CVE-2026-43284", "Dirty Frag", "f4c50a4034e6"}, esp_needs(), "dirty_frag_esp_probe");
    // The SA must die with the namespace; never in the host's.
    if (!ctx.isolated) {
        return skipped("exposure not determined: creates an xfrm security association, which it does only in a private network namespace");
    }
    if (auto r = run.module_gate()) return *r;
    Fd file;
    if (auto r = run.create_file(file)) return *r;
    EspLoopback esp;
    if (auto r = setup_esp_loopback(run, esp)) return *r;
    // ESP header and IV from our memory (the linear part), then ciphertext
    // and ICV spliced from the file (page fragments).
    const std::vector<uint8_t> head = esp_head(esp.sa, 0);
    if (auto r = udp_reach_witness(run, head.size(), block + tag_len, false,
                                   "a corked udp4 datagram of the ESP packet's shape with a spliced file region")) {
        return *r;
    }
    if (const SysResult r = sys_result(::send(esp.tx.get(), head.data(), head.size(), MSG_MORE)); !r.ok()) {
        return run.inconclusive("send(MSG_MORE) of the ESP header", r.err);
    }
    int err = 0;
    if (const std::string what = splice_file_to_socket(file.get(), region_offset, block + tag_len, esp.tx.get(), err);
        !what.empty()) {
        return splice_failure(run, what + " (udp4)", err);
    }
    uint32_t failed_after = 0;
    if (auto r = wait_integrity_failed(ctx, run, esp, failed_after)) return *r;
    return esp_verdict(run, file.get(), esp, failed_after, "an ESP-in-UDP packet over spliced file pages",
                       "ESP input ran and counted an integrity failure",
                       "the ESP packet never reached the security association (integrity_failed did not rise)");
}

// ---------------------------------------------------------------------------
// CVE-2026-46300 "Fragnesia". skb_try_coalesce() moved paged frags from one
// skb into another without SKBFL_SHARED_FRAG (net/core/skbuff.c), so the
// skb ESP input sees can hold spliced page-cache frags unmarked, and
// esp_input() decrypts in place even with f4c50a4034e6. Fixed by
// f84eca581739 "net: skbuff: preserve shared-frag marker during coalescing"
// (Linus's tree, 7.1; Debian 5.10.257-1 and 6.1.174-1 by their changelogs).
// The public exploit reaches skb_try_coalesce() through TCP receive
// coalescing for ESP-in-TCP (CONFIG_INET_ESPINTCP, which Debian does not
// build). IPv4 reassembly for local delivery calls it too:
// inet_frag_reasm_finish() coalesces each fragment into the head when
// ip_frag_coalesce_ok() (net/ipv4/inet_fragment.c, gregkh/linux at
// 29dda278a5ed). This probe takes that path: an ESP-in-UDP datagram larger
// than lo's MTU whose first fragment is our memory and whose second is file
// pages, so the reassembled skb's frags come from the unmarked head.
// Without the coalescing the fragment would sit on the frag_list, which
// esp_input() always copies; a changed file therefore also shows that
// coalescing happened.
constexpr int fragnesia_mtu = 1280;

// IFF_UP on lo through netlink, then SIOCSIFMTU: only ever in the probe's
// own namespace (the caller's unshare), which dies with the probe process.
std::optional<Result> small_mtu_loopback(Run& run)
{
    if (const std::string err = netlink::set_link_up("lo"); !err.empty()) {
        return failed(err + "; cannot test", run.evidence());
    }
    Fd s;
    if (const SysResult r = sys::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0, s); !r.ok()) {
        return run.inconclusive("socket() for SIOCSIFMTU", r.err);
    }
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
    ifr.ifr_mtu = fragnesia_mtu;
    if (::ioctl(s.get(), SIOCSIFMTU, &ifr) != 0) {
        return run.inconclusive("ioctl(SIOCSIFMTU) of lo in the probe's namespace", errno);
    }
    return std::nullopt;
}

// Ip ReasmOKs of this namespace: the datagram was reassembled.
std::optional<uint64_t> ip_reasm_oks()
{
    const auto text = read_text_file("/proc/net/snmp");
    return text ? snmp_counter(*text, "Ip", "ReasmOKs") : std::nullopt;
}

Result run_fragnesia(const Context& ctx)
{
    Run run(ctx, {"CVE-2026-46300", "Fragnesia", "f84eca581739"}, esp_needs(), "fragnesia_probe");
    if (!ctx.isolated) {
        return skipped("exposure not determined: creates an xfrm security association, which it does only in a private network namespace");
    }
    if (auto r = run.module_gate()) return *r;
    Fd file;
    if (auto r = run.create_file(file)) return *r;
    // A namespace of its own, so the smaller MTU is never seen by another
    // probe of the run, even if this one is killed.
    if (::unshare(CLONE_NEWNET) != 0) {
        return run.inconclusive("unshare(CLONE_NEWNET) for the probe's own namespace", errno);
    }
    if (auto r = small_mtu_loopback(run)) return *r;
    EspLoopback esp;
    if (auto r = setup_esp_loopback(run, esp)) return *r;
    const int dont = IP_PMTUDISC_DONT; // fragment locally, whatever the sysctl says
    if (::setsockopt(esp.tx.get(), IPPROTO_IP, IP_MTU_DISCOVER, &dont, sizeof dont) != 0) {
        return run.inconclusive("setsockopt(IP_MTU_DISCOVER, IP_PMTUDISC_DONT)", errno);
    }
    // The first fragment carries exactly the largest 8-aligned payload (IP
    // header 20, UDP header 8), all from memory, so the append path starts a
    // new skb for the spliced bytes; those (the rest of the ciphertext and
    // the ICV) are one full second fragment. The ciphertext stays a whole
    // number of cbc(aes) blocks.
    constexpr size_t frag_payload = (fragnesia_mtu - 20) & ~size_t{7}; // 1256
    constexpr size_t head_len = frag_payload - 8;                       // 1248 after the UDP header
    constexpr size_t head_cipher = head_len - 8 - block;                // 1224
    constexpr size_t spliced = frag_payload;                            // 1256: ciphertext + ICV
    static_assert((head_cipher + spliced - tag_len) % block == 0, "ciphertext must be whole cbc blocks");
    const std::vector<uint8_t> head = esp_head(esp.sa, head_cipher);
    if (auto r = udp_reach_witness(run, head.size(), spliced, true,
                                   "a corked udp4 datagram of the reassembled ESP datagram's shape (two fragments at "
                                   "MTU 1280, the second a spliced file region)")) {
        return *r;
    }
    const auto reasm_before = ip_reasm_oks();
    if (const SysResult r = sys_result(::send(esp.tx.get(), head.data(), head.size(), MSG_MORE)); !r.ok()) {
        return run.inconclusive("send(MSG_MORE) of the ESP header and first ciphertext", r.err);
    }
    int err = 0;
    if (const std::string what = splice_file_to_socket(file.get(), region_offset, spliced, esp.tx.get(), err);
        !what.empty()) {
        return splice_failure(run, what + " (udp4)", err);
    }
    uint32_t failed_after = 0;
    if (auto r = wait_integrity_failed(ctx, run, esp, failed_after)) return *r;
    const auto reasm_after = ip_reasm_oks();
    run.evidence()["mtu"] = fragnesia_mtu;
    run.evidence()["ip_reasm_oks"] =
        reasm_before && reasm_after ? nlohmann::json(*reasm_after - *reasm_before) : nlohmann::json(nullptr);
    return esp_verdict(run, file.get(), esp, failed_after,
                       "an ESP-in-UDP datagram reassembled from a memory fragment and a spliced-file fragment",
                       "ESP input ran over the reassembled datagram and counted an integrity failure; IPv4 "
                       "reassembly for local delivery coalesces fragments (ip_frag_coalesce_ok)",
                       "the reassembled ESP datagram never reached the security association (integrity_failed did "
                       "not rise)");
}

} // namespace

void add_cve_2026_probes(std::vector<Spec>& out)
{
    // Fix: a664bf3d603d "crypto: algif_aead - Revert to operating
    // out-of-place" (stable 6.12.85). Introduced by 72548b093ee3 (4.14).
    out.push_back(Spec{
        .id = "security.cve_2026_31431",
        .section = "security",
        .title = "protected against CVE-2026-31431 (copy fail)",
        .supported_means = "an AF_ALG authencesn decrypt over spliced file pages does not modify that file's page cache",
        .capabilities = {},
        // Stable releases from the upstream-stable sections of Debian's
        // changelogs (6.1.170, 6.12.85) and the CVE announcement (6.18.22,
        // 6.19.12). Debian 5.10 carries it as its own patch from 5.10.251-2
        // (linux-image-5.10.0-43 changelog), which no upstream 5.10 stable
        // release predicts: there the history flag names a distro patch.
        .history = {change(kc::copy_fail_introduced, "algif_aead decrypts in place: spliced tag pages chained into "
                                                     "the destination",
                           expect(Status::unsupported, "vulnerable", true)),
                    change(kc::copy_fail_fix, "the fix: algif_aead decrypts out of place (Debian 5.10.251-2, "
                                              "6.1.170-1, 6.12.85-1 by their changelogs)",
                           expect(Status::supported, "vulnerable", false), {"6.1.170", "6.12.85", "6.18.22", "6.19.12"})},
        .needs_netns = false,
        .run = run_copy_fail,
    });
    // Fix: f4c50a4034e6 "xfrm: esp: avoid in-place decrypt on shared skb
    // frags" (stable 6.12.87, 6.6.138). Introduced by cac2661c53f3 (4.11).
    out.push_back(Spec{
        .id = "security.cve_2026_43284",
        .section = "security",
        .title = "protected against CVE-2026-43284 (dirty frag, esp)",
        .supported_means = "ESP input does not decrypt in place over file pages spliced into a UDP socket",
        .capabilities = {cap_net_admin},
        // Debian carries the fix as its own patch (5.10.251-4, 6.1.170-2,
        // 6.12.86-1 by their changelogs), before any upstream stable release
        // of those lines: there the history flag names a distro patch.
        .history = {change(kc::dirty_frag_introduced, "esp_input() decrypts private nonlinear skbs in place, "
                                                      "spliced frags included",
                           expect(Status::unsupported, "vulnerable", true)),
                    change(kc::dirty_frag_fix, "the fix: no in-place decrypt on shared frags (Debian 5.10.251-4, "
                                               "6.1.170-2, 6.12.86-1 by their changelogs)",
                           expect(Status::supported, "vulnerable", false), {"6.12.87", "6.6.138"})},
        .needs_netns = true,
        .run = run_dirty_frag_esp,
        // Its reach witness reads Udp InCsumErrors of the run's namespace,
        // which every probe's dropped UDP datagram counts (udp_reach_witness).
        // Fragnesia needs no mark: it changes lo's MTU and reads its counters
        // in a namespace of its own (run_fragnesia's unshare).
        .sharing = Sharing::alone,
    });
    // Fix: f84eca581739 "net: skbuff: preserve shared-frag marker during
    // coalescing" (7.1; Debian 5.10.257-1, 6.1.174-1). Fixes cef401de7be8
    // (3.9) and f4c50a4034e6.
    out.push_back(Spec{
        .id = "security.cve_2026_46300",
        .section = "security",
        .title = "protected against CVE-2026-46300 (fragnesia)",
        .supported_means = "ESP input does not decrypt in place over file pages coalesced into a reassembled datagram",
        .capabilities = {cap_net_admin, cap_sys_admin},
        // Stable 5.10.257 and 6.1.174 from the upstream-stable sections of
        // Debian's changelogs (Debian 5.10.257-1, 6.1.174-1); Debian 6.12
        // patched it in 6.12.90-1. The exposure starts with the in-place
        // decrypt (cac2661c53f3); the unmarked coalescing is older.
        .history = {change(kc::dirty_frag_introduced, "esp_input() decrypts in place; skb_try_coalesce() drops the "
                                                      "shared-frag marker (since cef401de7be8)",
                           expect(Status::unsupported, "vulnerable", true)),
                    change(kc::fragnesia_fix, "the fix: coalescing keeps SKBFL_SHARED_FRAG (Debian 5.10.257-1, "
                                              "6.1.174-1, 6.12.90-1 by their changelogs)",
                           expect(Status::supported, "vulnerable", false), {"5.10.257", "6.1.174"})},
        .needs_netns = true,
        .run = run_fragnesia,
    });
}

} // namespace zc::probe
