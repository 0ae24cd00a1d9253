#include "core/io.hpp"

#include <unistd.h>

namespace zc {

SysResult write_all(int fd, std::span<const uint8_t> data)
{
    size_t done = 0;
    while (done < data.size()) {
        const SysResult r = sys_result(::write(fd, data.data() + done, data.size() - done));
        if (!r.ok()) {
            if (r.err == EINTR) continue;
            return r;
        }
        done += static_cast<size_t>(r.value);
    }
    return SysResult{static_cast<long>(done), 0};
}

SysResult pwrite_all(int fd, std::span<const uint8_t> data, off_t offset)
{
    size_t done = 0;
    while (done < data.size()) {
        const SysResult r = sys_result(
            ::pwrite(fd, data.data() + done, data.size() - done, offset + static_cast<off_t>(done)));
        if (!r.ok()) {
            if (r.err == EINTR) continue;
            return r;
        }
        if (r.value == 0) return SysResult{-1, EIO};
        done += static_cast<size_t>(r.value);
    }
    return SysResult{static_cast<long>(done), 0};
}

SysResult read_exact(int fd, std::vector<uint8_t>& out, size_t n)
{
    out.assign(n, 0);
    size_t done = 0;
    while (done < n) {
        const SysResult r = sys_result(::read(fd, out.data() + done, n - done));
        if (!r.ok()) {
            if (r.err == EINTR) continue;
            out.resize(done);
            return r;
        }
        if (r.value == 0) break;
        done += static_cast<size_t>(r.value);
    }
    out.resize(done);
    return SysResult{static_cast<long>(done), 0};
}

} // namespace zc
