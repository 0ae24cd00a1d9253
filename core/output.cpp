#include "core/output.hpp"

#include "core/atomic_file.hpp"
#include "core/errno_name.hpp"
#include "core/fd.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <optional>
#include <ostream>
#include <thread>
#include <vector>

namespace zc {

namespace {

enum class TargetKind { new_file, regular_file, stream };

struct OutputTarget {
    std::string path; // what is written: path with every symlink followed
    TargetKind kind = TargetKind::new_file;
    bool fifo = false;
    std::optional<FileOwnership> replaced;
    std::string error;
};

// The kernel's own limit on links followed in one lookup (MAXSYMLINKS).
constexpr int max_symlinks = 40;

std::string directory_of(const std::string& path)
{
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

std::string describe(const std::string& given, const std::string& target)
{
    return given == target ? given : given + " (-> " + target + ")";
}

std::string writable_directory(const std::string& given, const std::string& target)
{
    const std::string dir = directory_of(target);
    if (::access(dir.c_str(), W_OK) != 0) {
        return "cannot write " + describe(given, target) + ": directory " + dir +
               " is not writable: " + errno_text(errno);
    }
    return {};
}

// Follows symlinks by hand rather than with realpath(3), so that a dangling
// link still names the file to create.
OutputTarget resolve_output_target(const std::string& given)
{
    OutputTarget t;
    if (given.empty()) {
        t.error = "-o/--output is empty; give a file name";
        return t;
    }
    if (given.back() == '/') {
        t.error = "cannot write " + given + ": it names a directory; give a file name";
        return t;
    }
    t.path = given;
    for (int hops = 0;; ++hops) {
        struct stat st{};
        if (::lstat(t.path.c_str(), &st) != 0) {
            if (errno != ENOENT) {
                t.error = "cannot write " + describe(given, t.path) + ": lstat failed: " + errno_text(errno);
                return t;
            }
            t.kind = TargetKind::new_file;
            t.error = writable_directory(given, t.path);
            return t;
        }
        if (S_ISLNK(st.st_mode)) {
            if (hops == max_symlinks) {
                t.error = "cannot write " + given + ": more than " + std::to_string(max_symlinks) +
                          " symbolic links to follow (a loop?): " + errno_text(ELOOP);
                return t;
            }
            std::vector<char> buf(static_cast<size_t>(st.st_size > 0 ? st.st_size : 4095) + 1);
            const ssize_t n = ::readlink(t.path.c_str(), buf.data(), buf.size());
            if (n < 0 || static_cast<size_t>(n) >= buf.size()) {
                t.error = "cannot write " + describe(given, t.path) + ": readlink failed: " +
                          errno_text(n < 0 ? errno : ENAMETOOLONG);
                return t;
            }
            const std::string link(buf.data(), static_cast<size_t>(n));
            t.path = link.front() == '/' ? link : directory_of(t.path) + "/" + link;
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            t.error = "cannot write " + describe(given, t.path) + ": it is a directory; give a file name";
        } else if (S_ISSOCK(st.st_mode)) {
            // open(2) of a socket fails with ENXIO, for a shell redirection too.
            t.error = "cannot write " + describe(given, t.path) + ": it is a socket, which open(2) refuses (" +
                      errno_text(ENXIO) + "); give a file name";
        } else if (S_ISREG(st.st_mode)) {
            t.kind = TargetKind::regular_file;
            t.replaced = FileOwnership{static_cast<mode_t>(st.st_mode & 07777), st.st_uid, st.st_gid};
            t.error = writable_directory(given, t.path);
        } else {
            t.kind = TargetKind::stream; // character or block device, FIFO
            t.fifo = S_ISFIFO(st.st_mode);
            if (::access(t.path.c_str(), W_OK) != 0) {
                t.error = "cannot write " + describe(given, t.path) + ": " + errno_text(errno);
            }
        }
        return t;
    }
}

// A device or FIFO is written in place, as `> path` would: no O_CREAT, no
// O_TRUNC, no temp file. O_NONBLOCK makes the open of a FIFO without a
// reader fail (ENXIO) instead of blocking, so we retry until
// output_open_wait_ms; it stays set, and poll(2) bounds each stall.
std::string write_through(const std::string& given, const std::string& path, bool fifo, std::string_view content)
{
    using Clock = std::chrono::steady_clock;
    const auto open_deadline = Clock::now() + std::chrono::milliseconds(output_open_wait_ms);
    Fd fd;
    for (;;) {
        fd = Fd(::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_NOCTTY | O_NOFOLLOW | O_CLOEXEC));
        if (fd) break;
        const int err = errno;
        if (err == EINTR) continue;
        if (err == ENXIO && fifo && Clock::now() < open_deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            continue;
        }
        if (err == ENXIO && fifo) {
            return "cannot write " + describe(given, path) + ": no reader opened it within " +
                   std::to_string(output_open_wait_ms / 1000) + " s: " + errno_text(err);
        }
        return "cannot open " + describe(given, path) + " for writing: " + errno_text(err);
    }
    size_t done = 0;
    while (done < content.size()) {
        const ssize_t n = ::write(fd.get(), content.data() + done, content.size() - done);
        if (n > 0) {
            done += static_cast<size_t>(n);
            continue;
        }
        const int err = n < 0 ? errno : EIO;
        if (err == EINTR) continue;
        if (err == EAGAIN) {
            pollfd p{fd.get(), POLLOUT, 0};
            const int ready = ::poll(&p, 1, output_stall_ms);
            if (ready == 0) {
                return "cannot write " + describe(given, path) + ": the reader took nothing for " +
                       std::to_string(output_stall_ms / 1000) + " s (" + std::to_string(done) + " of " +
                       std::to_string(content.size()) + " bytes written)";
            }
            continue; // ready, or EINTR; POLLERR shows up as the next write's errno
        }
        return "cannot write " + describe(given, path) + ": " + errno_text(err) + " (" + std::to_string(done) +
               " of " + std::to_string(content.size()) + " bytes written)";
    }
    if (::close(fd.release()) != 0) return "cannot close " + describe(given, path) + ": " + errno_text(errno);
    return {};
}

} // namespace

std::string check_output_path(const std::string& path)
{
    return resolve_output_target(path).error;
}

std::string write_output_file(const std::string& path, std::string_view content)
{
    const OutputTarget t = resolve_output_target(path);
    if (!t.error.empty()) return t.error;
    if (t.kind == TargetKind::stream) return write_through(path, t.path, t.fifo, content);
    if (auto err = write_file_atomically(t.path, content, t.replaced); !err.empty()) {
        return t.path == path ? err : err + " (for " + path + ")";
    }
    return {};
}

std::string write_stdout(std::ostream& out, std::string_view content)
{
    // std::cout writes through stdio (sync_with_stdio), whose fwrite and
    // fflush set errno when the write(2) under them fails.
    errno = 0;
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.flush();
    if (out) return {};
    const int err = errno;
    return "cannot write to standard output: " + (err != 0 ? errno_text(err) : std::string("write failed"));
}

} // namespace zc
