// The run's private directory: mode 0700 under $TMPDIR (or /tmp), the only
// place a probe creates files, removed at the end of the run and on an
// interrupt (core/interrupt.hpp).
#pragma once

#include "core/fd.hpp"
#include "core/sys_result.hpp"

#include <unistd.h>

#include <string>
#include <string_view>
#include <utility>

namespace zc {

// Empty when TMPDIR (/tmp when unset or empty) is a directory we can create
// entries in; otherwise one line naming TMPDIR and what is valid. Lets a
// tool refuse bad input (exit 2) before it runs anything.
std::string check_tmpdir();

// The file in a private directory that names its creator, so a later run
// can tell that a directory left by a SIGKILL belongs to nobody alive.
inline constexpr const char* private_dir_owner_file = "zc-owner";

// The owner line for the calling process: "BOOT_ID PIDNS PID START" (boot
// id, pid namespace inode, pid, start time in clock ticks from
// /proc/PID/stat); "" when /proc does not tell.
std::string owner_line(pid_t pid);

// Whether a directory's owner line names a process that is provably gone:
// same boot and pid namespace as ours (else we cannot look it up) and no
// process with that pid and start time. now_line(pid) gives what the pid
// is now ("" when there is none).
bool owner_gone(std::string_view recorded, std::string_view ours_boot_pidns,
                const std::string& now_line_of_pid);

// Removes $TMPDIR/PREFIX.XXXXXX directories that a killed run left: only a
// real directory (not a link), owned by our uid, whose owner file (not a
// link) names a process that is provably gone. Returns how many it removed.
int remove_stale_private_dirs(const std::string& prefix);

// Owns the directory: removes its tree when destroyed.
class PrivateDir {
public:
    PrivateDir() = default;
    // mkdtemp of $TMPDIR/PREFIX.XXXXXX (mkdtemp makes it 0700), with the
    // owner file in it; stale directories of killed runs are removed first.
    // On failure the result is empty and error says why.
    static PrivateDir create(const std::string& prefix, std::string& error);
    PrivateDir(const PrivateDir&) = delete;
    PrivateDir& operator=(const PrivateDir&) = delete;
    PrivateDir(PrivateDir&& other) noexcept : path_(std::exchange(other.path_, {})) {}
    PrivateDir& operator=(PrivateDir&&) = delete;
    ~PrivateDir();

    [[nodiscard]] const std::string& path() const noexcept { return path_; }
    explicit operator bool() const noexcept { return !path_.empty(); }

private:
    std::string path_;
};

// Creates dir/name for reading and writing with O_CREAT|O_EXCL|O_NOFOLLOW|
// O_CLOEXEC, mode 0600: whatever already sits at that name (a file, a
// planted symlink) is EEXIST, never followed or truncated. name must be one
// path component (else EINVAL), so the file stays inside dir.
SysResult create_private_file(const std::string& dir, std::string_view name, Fd& out);

// Removes a probe's temp file on every path out of the probe.
class UnlinkGuard {
public:
    explicit UnlinkGuard(std::string path) : path_(std::move(path)) {}
    UnlinkGuard(const UnlinkGuard&) = delete;
    UnlinkGuard& operator=(const UnlinkGuard&) = delete;
    ~UnlinkGuard() { ::unlink(path_.c_str()); }

private:
    std::string path_;
};

} // namespace zc
