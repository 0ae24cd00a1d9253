#include "core/syscalls.hpp"

#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

namespace zc::sys {

SysResult socket(int domain, int type, int protocol, Fd& out)
{
    const SysResult r = sys_result(::socket(domain, type | SOCK_CLOEXEC, protocol));
    if (r.ok()) {
        out.reset(static_cast<int>(r.value));
    }
    return r;
}

SysResult pipe(Pipe& out, int flags)
{
    int fds[2];
    const SysResult r = sys_result(::pipe2(fds, flags | O_CLOEXEC));
    if (r.ok()) {
        out.read.reset(fds[0]);
        out.write.reset(fds[1]);
    }
    return r;
}

SysResult open(const char* path, int flags, Fd& out, mode_t mode)
{
    const SysResult r = sys_result(::open(path, flags | O_CLOEXEC, mode));
    if (r.ok()) {
        out.reset(static_cast<int>(r.value));
    }
    return r;
}

SysResult vmsplice(int pipe_write, const struct iovec* iov, size_t count, unsigned flags)
{
    return sys_result(::vmsplice(pipe_write, iov, count, flags));
}

SysResult splice(int fd_in, loff_t* off_in, int fd_out, loff_t* off_out, size_t len, unsigned flags)
{
    return sys_result(::splice(fd_in, off_in, fd_out, off_out, len, flags));
}

SysResult tee(int fd_in, int fd_out, size_t len, unsigned flags)
{
    return sys_result(::tee(fd_in, fd_out, len, flags));
}

SysResult sendfile(int out_fd, int in_fd, off_t* offset, size_t count)
{
    return sys_result(::sendfile(out_fd, in_fd, offset, count));
}

SysResult setsockopt_int(int fd, int level, int name, int value)
{
    return sys_result(::setsockopt(fd, level, name, &value, sizeof value));
}

SysResult fcntl(int fd, int cmd, long arg)
{
    return sys_result(::fcntl(fd, cmd, arg));
}

} // namespace zc::sys
