#include "core/run_identity.hpp"

#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>

namespace zc {

namespace {

uint64_t draw() noexcept
{
    uint64_t id = 0;
    // 8 bytes from the urandom pool never come back short once it is
    // initialised; GRND_NONBLOCK keeps an early-boot host from blocking us.
    ssize_t n;
    do {
        n = ::getrandom(&id, sizeof id, GRND_NONBLOCK);
    } while (n < 0 && errno == EINTR);
    if (n != static_cast<ssize_t>(sizeof id)) {
        // No entropy yet (or no getrandom, before 3.17): pid and the clock
        // still differ between runs started side by side, which is all the
        // identity has to do.
        timespec ts{};
        ::clock_gettime(CLOCK_MONOTONIC, &ts);
        id = (uint64_t{static_cast<uint32_t>(::getpid())} << 32) ^ static_cast<uint64_t>(ts.tv_nsec) ^
             (static_cast<uint64_t>(ts.tv_sec) << 20);
        id *= 0x9E3779B97F4A7C15ULL;
    }
    return id == 0 ? 1 : id;
}

// 0 until drawn; the first draw wins if threads race for it.
std::atomic<uint64_t> current{0};

} // namespace

uint64_t run_identity() noexcept
{
    uint64_t id = current.load();
    if (id != 0) return id;
    const uint64_t fresh = draw();
    return current.compare_exchange_strong(id, fresh) ? fresh : id;
}

void renew_run_identity() noexcept
{
    current.store(draw());
}

} // namespace zc
