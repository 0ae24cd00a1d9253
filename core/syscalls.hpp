// Thin wrappers over the syscalls the kit studies. Each returns SysResult with
// errno taken at the call site, and retries EINTR where the call has no side
// effect before it is interrupted.
#pragma once

#include "core/fd.hpp"
#include "core/sys_result.hpp"

#include <sys/types.h>
#include <sys/uio.h>

#include <cstddef>

namespace zc::sys {

// @see man 2 socket
SysResult socket(int domain, int type, int protocol, Fd& out);
// @see man 2 pipe2
SysResult pipe(Pipe& out, int flags = 0);
// @see man 2 open
SysResult open(const char* path, int flags, Fd& out, mode_t mode = 0600);
// @see man 2 vmsplice
SysResult vmsplice(int pipe_write, const struct iovec* iov, size_t count, unsigned flags);
// @see man 2 splice
SysResult splice(int fd_in, loff_t* off_in, int fd_out, loff_t* off_out, size_t len, unsigned flags);
// @see man 2 tee
SysResult tee(int fd_in, int fd_out, size_t len, unsigned flags);
// @see man 2 sendfile
SysResult sendfile(int out_fd, int in_fd, off_t* offset, size_t count);
// @see man 2 setsockopt; value is an int
SysResult setsockopt_int(int fd, int level, int name, int value);
// @see man 2 fcntl
SysResult fcntl(int fd, int cmd, long arg);

} // namespace zc::sys
