// Entering another network namespace and coming back: the one owner type for
// it (the veth legs of zcprobe's zerocopy and AF_XDP probes, the
// --xdp-device probe, zcengine's xdp-copy channel).
//
// Policy for a failed return: a thread that cannot get back to the namespace
// it left must not go on, since every later socket, link or probe would be
// made in the wrong namespace and reported as if it were the right one. So a
// failed setns() back writes one line on stderr (the call, the errno) and
// ends the process at once with _exit(stranded_exit_status): in a probe
// child the runner then reports that probe as an error ("probe exited with
// status 125 without a result"), and zcengine stops without a report rather
// than measure in the wrong namespace. The kernel refuses the return only
// without CAP_SYS_ADMIN both over the user namespace owning the namespace
// returned to and over the caller's own (setns() -> netns_install(),
// mainline net/core/net_namespace.c, as read for this change), which a
// process that could leave it normally still holds: e.g. one that dropped
// the capability inside, or an unprivileged one whose home is owned by the
// initial user namespace.
#pragma once

#include "core/fd.hpp"

#include <string>

namespace zc {

inline constexpr int stranded_exit_status = 125;

class NetnsVisit {
public:
    // unshare(CLONE_NEWNET): a fresh namespace for this thread. Sockets made
    // inside keep it (and its links) alive after we leave; it goes when the
    // last of them closes, torn down by the kernel in the background.
    [[nodiscard]] static NetnsVisit fresh();
    // setns() into the namespace target_fd refers to (borrowed).
    [[nodiscard]] static NetnsVisit into(int target_fd);

    NetnsVisit(const NetnsVisit&) = delete;
    NetnsVisit& operator=(const NetnsVisit&) = delete;
    NetnsVisit(NetnsVisit&&) = delete;
    NetnsVisit& operator=(NetnsVisit&&) = delete;
    ~NetnsVisit() { leave(); }

    // Entered: the thread is in the other namespace until leave().
    [[nodiscard]] bool entered() const noexcept { return entered_; }
    // When not entered: the call that failed and its errno.
    [[nodiscard]] const std::string& failed_call() const noexcept { return call_; }
    [[nodiscard]] int err() const noexcept { return err_; }

    // Back to the namespace left; ends the process if the kernel refuses
    // (see the policy above). Does nothing when not entered or already back.
    void leave() noexcept;

private:
    NetnsVisit(bool fresh, int target_fd);

    Fd home_;
    bool entered_ = false;
    std::string call_;
    int err_ = 0;
};

// The policy itself: one line on stderr, then _exit(stranded_exit_status).
[[noreturn]] void stranded_in_netns(int err) noexcept;

} // namespace zc
