#include "engine/tx_common.hpp"

#include "core/errno_name.hpp"
#include "core/syscalls.hpp"

#include <fcntl.h>

namespace zc::engine::tx {

bool make_pipe(Pipe& p, size_t bytes, std::string& error)
{
    if (const auto r = sys::pipe(p, O_CLOEXEC); !r.ok()) {
        error = "pipe() failed: " + errno_text(r.err);
        return false;
    }
    if (bytes > 0) {
        const auto r = sys::fcntl(p.write.get(), F_SETPIPE_SZ, static_cast<long>(bytes));
        if (!r.ok() || static_cast<size_t>(r.value) < bytes) {
            error = "fcntl(F_SETPIPE_SZ, " + std::to_string(bytes) + ") failed: " + errno_text(r.err) +
                    "; raise fs.pipe-max-size or use smaller packets";
            return false;
        }
    }
    return true;
}

void reset_pipe(Pipe& p)
{
    Pipe fresh;
    if (sys::pipe(fresh, O_CLOEXEC).ok()) p = std::move(fresh);
}

} // namespace zc::engine::tx
