#include "core/atomic_file.hpp"

#include "core/errno_name.hpp"
#include "core/fd.hpp"
#include "core/interrupt.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <vector>

namespace zc {

namespace {

std::string directory_of(const std::string& path)
{
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

} // namespace

std::string check_writable_destination(const std::string& path)
{
    if (path.empty()) {
        return "output path is empty; give a file name";
    }
    struct stat st{};
    if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
        return "cannot write " + path + ": it is a directory; give a file name";
    }
    const std::string dir = directory_of(path);
    if (::access(dir.c_str(), W_OK) != 0) {
        return "cannot write " + path + ": directory " + dir + " is not writable: " + errno_text(errno);
    }
    return {};
}

std::string write_file_atomically(const std::string& path, std::string_view content)
{
    if (auto err = check_writable_destination(path); !err.empty()) {
        return err;
    }
    // Registered for the interrupt path (core/interrupt.hpp) until renamed.
    std::string tmp = path + ".XXXXXX";
    Fd fd(interrupt::create_temp_file(tmp, O_CLOEXEC));
    if (!fd) {
        return "cannot create temporary file next to " + path + ": " + errno_text(errno);
    }
    size_t done = 0;
    while (done < content.size()) {
        const ssize_t n = ::write(fd.get(), content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const int err = errno;
            interrupt::remove_temp_file(tmp);
            return "cannot write " + tmp + ": " + errno_text(err);
        }
        done += static_cast<size_t>(n);
    }
    if (::fchmod(fd.get(), 0644) != 0 || ::fsync(fd.get()) != 0) {
        const int err = errno;
        interrupt::remove_temp_file(tmp);
        return "cannot finish " + tmp + ": " + errno_text(err);
    }
    fd.reset();
    if (interrupt::rename_temp_file(tmp, path) != 0) {
        const int err = errno;
        interrupt::remove_temp_file(tmp);
        return "cannot rename " + tmp + " to " + path + ": " + errno_text(err);
    }
    return {};
}

} // namespace zc
