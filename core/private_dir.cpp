#include "core/private_dir.hpp"

#include "core/errno_name.hpp"
#include "core/interrupt.hpp"
#include "core/proc_files.hpp"
#include "core/syscalls.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <vector>

namespace zc {

namespace {

// TMPDIR as the C library reads it: unset or empty means /tmp.
std::string tmpdir_base(bool& from_env)
{
    const char* base = std::getenv("TMPDIR");
    from_env = base != nullptr && *base != '\0';
    return from_env ? base : "/tmp";
}

std::string first_word(std::optional<std::string> text)
{
    if (!text) return {};
    std::istringstream in(*text);
    std::string w;
    in >> w;
    return w;
}

// "PID START" from /proc/PID/stat (start time: field 22, after the
// parenthesised command name, which may hold spaces); "" when there is no
// such process.
std::string pid_line(pid_t pid)
{
    const auto stat = read_text_file("/proc/" + std::to_string(pid) + "/stat");
    if (!stat) return {};
    const auto close = stat->rfind(')');
    if (close == std::string::npos) return {};
    std::istringstream in(stat->substr(close + 1));
    std::string field;
    for (int i = 3; i <= 22 && (in >> field); ++i) {
        if (i == 22) return std::to_string(pid) + " " + field;
    }
    return {};
}

// "BOOT_ID PIDNS" of this process; "" when /proc is not of our pid
// namespace (its pids would name other processes).
std::string boot_and_pidns()
{
    char self[32] = {};
    if (::readlink("/proc/self", self, sizeof self - 1) <= 0 || std::to_string(::getpid()) != self) return {};
    const std::string boot = first_word(read_text_file("/proc/sys/kernel/random/boot_id"));
    struct stat ns{};
    if (boot.empty() || ::stat("/proc/self/ns/pid", &ns) != 0) return {};
    return boot + " " + std::to_string(ns.st_ino);
}

bool matches_template(const std::string& name, const std::string& prefix)
{
    if (name.size() != prefix.size() + 7 || name.compare(0, prefix.size(), prefix) != 0) return false;
    return name[prefix.size()] == '.';
}

} // namespace

std::string owner_line(pid_t pid)
{
    const std::string where = boot_and_pidns();
    const std::string self = pid_line(pid);
    if (where.empty() || self.empty()) return {};
    return where + " " + self;
}

bool owner_gone(std::string_view recorded, std::string_view ours_boot_pidns, const std::string& now_line_of_pid)
{
    // recorded: "BOOT PIDNS PID START"; the first two must be ours, or the
    // pid means another process table and proves nothing.
    if (ours_boot_pidns.empty() || recorded.size() <= ours_boot_pidns.size() + 1) return false;
    if (recorded.substr(0, ours_boot_pidns.size()) != ours_boot_pidns || recorded[ours_boot_pidns.size()] != ' ') {
        return false;
    }
    const std::string_view pid_start = recorded.substr(ours_boot_pidns.size() + 1);
    const auto space = pid_start.find(' ');
    if (space == std::string_view::npos || space == 0 || space + 1 >= pid_start.size()) return false;
    for (const char c : pid_start) {
        if (c != ' ' && (c < '0' || c > '9')) return false;
    }
    // No such pid, or the pid now names a process that started at another
    // time (the number was reused): the creator is gone.
    return now_line_of_pid != pid_start;
}

int remove_stale_private_dirs(const std::string& prefix)
{
    bool from_env = false;
    const std::string base = tmpdir_base(from_env);
    const std::string ours = boot_and_pidns();
    if (ours.empty()) return 0;
    DIR* d = ::opendir(base.c_str());
    if (d == nullptr) return 0;
    std::vector<std::string> names;
    while (const dirent* e = ::readdir(d)) {
        if (matches_template(e->d_name, prefix)) names.emplace_back(e->d_name);
    }
    ::closedir(d);
    int removed = 0;
    for (const auto& name : names) {
        const std::string path = base + "/" + name;
        struct stat st{};
        // A real directory of ours, made 0700 by mkdtemp; never a link.
        if (::lstat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::geteuid() ||
            (st.st_mode & 07777) != 0700) {
            continue;
        }
        Fd dir(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!dir) continue;
        Fd owner(::openat(dir.get(), private_dir_owner_file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
        if (!owner) continue; // no record (an older version, or killed before writing it): leave it
        char buf[256];
        const ssize_t n = ::read(owner.get(), buf, sizeof buf - 1);
        if (n <= 0) continue;
        std::string recorded(buf, static_cast<size_t>(n));
        while (!recorded.empty() && recorded.back() == '\n') recorded.pop_back();
        const auto space = recorded.find(' ', ours.size() + 1);
        if (space == std::string::npos) continue;
        const auto pid = std::strtol(recorded.c_str() + ours.size() + 1, nullptr, 10);
        if (pid <= 0) continue;
        if (!owner_gone(recorded, ours, pid_line(static_cast<pid_t>(pid)))) continue;
        // remove_all does not follow links inside; a race with another run
        // cleaning the same directory only makes one of them find it gone.
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
        if (!ec) ++removed;
    }
    return removed;
}

std::string check_tmpdir()
{
    bool from_env = false;
    const std::string base = tmpdir_base(from_env);
    const std::string what = from_env ? "TMPDIR '" + base + "'" : "/tmp (TMPDIR is unset)";
    const std::string valid = "; set TMPDIR to an existing directory you can write to" +
                              std::string(from_env ? ", or unset it to use /tmp" : "");
    struct stat st{};
    if (::stat(base.c_str(), &st) != 0) return what + " cannot be used: " + errno_text(errno) + valid;
    if (!S_ISDIR(st.st_mode)) return what + " is not a directory" + valid;
    if (::access(base.c_str(), W_OK | X_OK) != 0) {
        return what + " is not writable: " + errno_text(errno) + valid;
    }
    return {};
}

PrivateDir PrivateDir::create(const std::string& prefix, std::string& error)
{
    bool from_env = false;
    std::string tmpl = tmpdir_base(from_env) + "/" + prefix + ".XXXXXX";
    remove_stale_private_dirs(prefix);
    PrivateDir dir;
    if (!interrupt::create_dir(tmpl)) {
        error = "cannot create a private temp directory " + tmpl + ": " + errno_text(errno) +
                "; set TMPDIR to a writable directory";
        return dir;
    }
    dir.path_ = tmpl;
    // Who made it, for the run after a SIGKILL (remove_stale_private_dirs).
    // Without a record the directory is simply never cleaned by others.
    if (const std::string line = owner_line(::getpid()); !line.empty()) {
        Fd f;
        if (create_private_file(tmpl, private_dir_owner_file, f).ok()) {
            const std::string text = line + "\n";
            [[maybe_unused]] const auto w = ::write(f.get(), text.data(), text.size());
        }
    }
    return dir;
}

PrivateDir::~PrivateDir()
{
    if (!path_.empty()) interrupt::remove_dir(path_);
}

SysResult create_private_file(const std::string& dir, std::string_view name, Fd& out)
{
    if (dir.empty() || name.empty() || name == "." || name == ".." || name.find('/') != std::string_view::npos) {
        return SysResult{-1, EINVAL};
    }
    const std::string path = dir + "/" + std::string(name);
    return sys::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, out, 0600);
}

} // namespace zc
