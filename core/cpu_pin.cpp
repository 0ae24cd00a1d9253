#include "core/cpu_pin.hpp"

namespace zc {

CpuPin::CpuPin() noexcept
{
    // @see man 2 sched_setaffinity: pid 0 is the calling thread; the call
    // returns with the thread already moved onto the new set.
    if (::sched_getaffinity(0, sizeof before_, &before_) != 0) return;
    const int cpu = ::sched_getcpu();
    if (cpu < 0 || cpu >= CPU_SETSIZE) return;
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    if (::sched_setaffinity(0, sizeof one, &one) != 0) return;
    cpu_ = cpu;
    held_ = true;
}

void CpuPin::release() noexcept
{
    if (!held_) return;
    // Failing to widen the set again leaves the thread on one CPU: slower
    // at worst, never wrong.
    (void)::sched_setaffinity(0, sizeof before_, &before_);
    held_ = false;
}

} // namespace zc
