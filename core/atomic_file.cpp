#include "core/atomic_file.hpp"

#include "core/errno_name.hpp"
#include "core/fd.hpp"
#include "core/interrupt.hpp"
#include "core/io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

namespace zc {

namespace {

// The one place an output temp file is made: beside path, so that rename(2)
// stays on one file system. mkostemp opens with O_EXCL and mode 0600; the
// final mode is set once the content is in. tmp_name receives the name.
Fd create_temp_beside(const std::string& path, std::string& tmp_name)
{
    // Registered for the interrupt path (core/interrupt.hpp) until renamed
    // or removed.
    std::string tmpl = path + ".XXXXXX";
    Fd fd(interrupt::create_temp_file(tmpl, O_CLOEXEC));
    if (fd) tmp_name = tmpl;
    return fd;
}

mode_t current_umask()
{
    // umask(2) can only be read by setting it; put it straight back. The
    // tools are single-threaded when they write their output.
    const mode_t mask = ::umask(0);
    ::umask(mask);
    return mask;
}

} // namespace

std::string write_file_atomically(const std::string& path, std::string_view content,
                                  const std::optional<FileOwnership>& replaced)
{
    std::string tmp;
    Fd fd = create_temp_beside(path, tmp);
    if (!fd) {
        return "cannot create temporary file next to " + path + ": " + errno_text(errno);
    }
    auto fail = [&tmp](const std::string& what, int err) {
        interrupt::remove_temp_file(tmp);
        return what + " " + tmp + ": " + errno_text(err);
    };
    const auto bytes = std::span(reinterpret_cast<const uint8_t*>(content.data()), content.size());
    if (const SysResult w = write_all(fd.get(), bytes); !w.ok()) return fail("cannot write", w.err);
    if (replaced) {
        // Owner first: chown(2) clears set-id bits, so the mode goes last.
        // Only root may give a file away; otherwise the file stays ours.
        if (::fchown(fd.get(), replaced->uid, replaced->gid) != 0 && errno != EPERM) {
            return fail("cannot chown", errno);
        }
        if (::fchmod(fd.get(), replaced->mode) != 0) return fail("cannot chmod", errno);
    } else if (::fchmod(fd.get(), 0666 & ~current_umask()) != 0) {
        return fail("cannot chmod", errno);
    }
    if (::fsync(fd.get()) != 0) return fail("cannot fsync", errno);
    if (::close(fd.release()) != 0) return fail("cannot close", errno);
    if (interrupt::rename_temp_file(tmp, path) != 0) {
        const int err = errno;
        interrupt::remove_temp_file(tmp);
        return "cannot rename " + tmp + " to " + path + ": " + errno_text(err);
    }
    return {};
}

} // namespace zc
