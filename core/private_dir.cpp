#include "core/private_dir.hpp"

#include "core/errno_name.hpp"
#include "core/interrupt.hpp"
#include "core/syscalls.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace zc {

namespace {

// TMPDIR as the C library reads it: unset or empty means /tmp.
std::string tmpdir_base(bool& from_env)
{
    const char* base = std::getenv("TMPDIR");
    from_env = base != nullptr && *base != '\0';
    return from_env ? base : "/tmp";
}

} // namespace

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
    PrivateDir dir;
    if (!interrupt::create_dir(tmpl)) {
        error = "cannot create a private temp directory " + tmpl + ": " + errno_text(errno) +
                "; set TMPDIR to a writable directory";
        return dir;
    }
    dir.path_ = tmpl;
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
