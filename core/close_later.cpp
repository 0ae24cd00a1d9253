#include "core/close_later.hpp"

#include <system_error>
#include <thread>
#include <vector>

namespace zc {

namespace {

bool enabled = false;

// Never destroyed: the descriptors stay open until _exit() closes them.
std::vector<Fd>& kept()
{
    static auto* v = new std::vector<Fd>;
    return *v;
}

} // namespace

void keep_open_until_exit() noexcept
{
    enabled = true;
}

bool closing_later() noexcept
{
    return enabled;
}

void close_later(Fd fd)
{
    if (!enabled || !fd) return; // fd closes here
    try {
        kept().push_back(std::move(fd));
    } catch (const std::bad_alloc&) {
        // No room to keep it: it closes now, only slower.
    }
}

void close_kept() noexcept
{
    std::vector<Fd>& fds = kept();
    try {
        std::vector<std::thread> closers;
        closers.reserve(fds.size());
        for (Fd& fd : fds) closers.emplace_back([&fd] { fd.reset(); });
        for (auto& t : closers) t.join();
    } catch (const std::exception&) {
        // No thread or no memory: the rest close one after another below.
    }
    fds.clear();
}

} // namespace zc
