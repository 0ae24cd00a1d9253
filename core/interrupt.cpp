#include "core/interrupt.hpp"

#include "core/exhaustion.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

namespace zc::interrupt {

namespace {

struct Registry {
    std::mutex mu;
    std::vector<pid_t> children;
    std::vector<std::string> files;
    std::vector<std::string> dirs;
    // Written once by install() before the interrupt thread exists.
    std::string tool = "zc";
    sigset_t watched{};
    sigset_t original{};
    bool installed = false;
    bool started = false; // only the main thread calls install() and start()
};

// Never destroyed: the interrupt thread may still use it while exit() runs
// the static destructors.
Registry& registry()
{
    static Registry* r = new Registry;
    return *r;
}

void forget(std::vector<std::string>& list, const std::string& item)
{
    std::erase(list, item);
}

// A SIGKILLed process ends at its next return to user space; one stuck in
// an uninterruptible sleep must not hold the interrupt up for ever.
bool wait_dead(pid_t pid, std::chrono::milliseconds limit)
{
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        siginfo_t info{};
        // WNOWAIT: the runner thread may be waiting for it too; it stays a
        // zombie (its pid cannot be reused) until the process exits.
        if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0) {
            if (errno == EINTR) continue;
            return true; // ECHILD: already reaped
        }
        if (info.si_pid == pid) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

[[noreturn]] void clean_up_and_exit(int sig)
{
    Registry& r = registry();
    // Held until _exit: no creation or disposal can interleave with this.
    r.mu.lock();
    try {
        for (pid_t pid : r.children) {
            ::kill(-pid, SIGKILL); // the probe's process group
            ::kill(pid, SIGKILL);
        }
        std::vector<std::string> removed;
        std::vector<std::string> left;
        // Dead before their directory goes, so nothing is created after it.
        for (pid_t pid : r.children) {
            if (!wait_dead(pid, std::chrono::seconds(2))) left.push_back("process " + std::to_string(pid));
        }
        for (const auto& f : r.files) {
            if (::unlink(f.c_str()) == 0) {
                removed.push_back(f);
            } else if (errno != ENOENT) {
                left.push_back(f);
            }
        }
        for (const auto& d : r.dirs) {
            std::error_code ec;
            std::filesystem::remove_all(d, ec);
            if (ec) {
                left.push_back(d);
            } else {
                removed.push_back(d);
            }
        }
        const char* abbrev = ::sigabbrev_np(sig);
        std::string line = r.tool + ": interrupted by SIG" + (abbrev != nullptr ? abbrev : std::to_string(sig));
        auto join = [](const std::vector<std::string>& v) {
            std::string s;
            for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
            return s;
        };
        if (!r.children.empty()) {
            line += "; killed " + std::to_string(r.children.size()) + " child process" +
                    (r.children.size() == 1 ? "" : "es");
        }
        if (!removed.empty()) line += "; removed " + join(removed);
        if (!left.empty()) line += "; could not remove " + join(left);
        line += "\n";
        for (size_t done = 0; done < line.size();) {
            const ssize_t n = ::write(STDERR_FILENO, line.data() + done, line.size() - done);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            done += static_cast<size_t>(n);
        }
    } catch (...) {
        // Out of memory while cleaning up: still end with the signal's code.
    }
    ::_exit(128 + sig);
}

void wait_for_signal()
{
    int sig = 0;
    while (::sigwait(&registry().watched, &sig) != 0) {
    }
    clean_up_and_exit(sig);
}

} // namespace

void install(const char* tool)
{
    Registry& r = registry();
    if (r.installed) return;
    r.tool = tool;
    sigemptyset(&r.watched);
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
        struct sigaction old{};
        // An inherited SIG_IGN is the caller's choice (nohup, `cmd &`).
        if (::sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) continue;
        sigaddset(&r.watched, sig);
    }
    ::pthread_sigmask(SIG_BLOCK, &r.watched, &r.original);
    r.installed = true;
}

void start()
{
    Registry& r = registry();
    if (!r.installed || r.started) return;
    r.started = true;
    start_thread("the signal-handling thread", wait_for_signal).detach();
}

void restore_in_child()
{
    const Registry& r = registry();
    if (r.installed) ::pthread_sigmask(SIG_SETMASK, &r.original, nullptr);
}

pid_t fork_child()
{
    Registry& r = registry();
    std::lock_guard lock(r.mu);
    const pid_t pid = ::fork();
    if (pid > 0) {
        const int saved = errno;
        r.children.push_back(pid);
        errno = saved;
    }
    return pid;
}

int wait_child(pid_t pid)
{
    // Wait without reaping, then reap under the lock: an interrupt in
    // between still finds the pid registered and its zombie unreused.
    for (;;) {
        siginfo_t info{};
        if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT) == 0 || errno != EINTR) break;
    }
    Registry& r = registry();
    std::lock_guard lock(r.mu);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    std::erase(r.children, pid);
    return status;
}

bool create_dir(std::string& tmpl)
{
    Registry& r = registry();
    std::lock_guard lock(r.mu);
    if (::mkdtemp(tmpl.data()) == nullptr) return false;
    const int saved = errno;
    r.dirs.push_back(tmpl);
    errno = saved;
    return true;
}

std::string remove_dir(const std::string& path)
{
    Registry& r = registry();
    std::lock_guard lock(r.mu);
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
    forget(r.dirs, path);
    return ec ? "cannot remove " + path + ": " + ec.message() : std::string();
}

int create_temp_file(std::string& tmpl, int flags)
{
    Registry& r = registry();
    std::lock_guard lock(r.mu);
    const int fd = ::mkostemp(tmpl.data(), flags);
    if (fd >= 0) {
        const int saved = errno;
        r.files.push_back(tmpl);
        errno = saved;
    }
    return fd;
}

int rename_temp_file(const std::string& tmp, const std::string& to)
{
    Registry& r = registry();
    std::lock_guard lock(r.mu);
    const int rc = ::rename(tmp.c_str(), to.c_str());
    const int saved = errno;
    if (rc == 0) forget(r.files, tmp);
    errno = saved;
    return rc;
}

void remove_temp_file(const std::string& tmp)
{
    Registry& r = registry();
    std::lock_guard lock(r.mu);
    ::unlink(tmp.c_str());
    forget(r.files, tmp);
}

} // namespace zc::interrupt
