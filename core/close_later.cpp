#include "core/close_later.hpp"

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

} // namespace zc
