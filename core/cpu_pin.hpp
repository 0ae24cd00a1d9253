// Keeps the calling thread on the CPU it runs on, for as long as the object
// lives, and gives the thread its earlier CPU set back afterwards.
#pragma once

#include <sched.h>

namespace zc {

class CpuPin {
public:
    // Pins to the CPU the thread is on; held() is false when the kernel
    // refused (a cpuset or a seccomp policy), and nothing changed then.
    CpuPin() noexcept;
    CpuPin(const CpuPin&) = delete;
    CpuPin& operator=(const CpuPin&) = delete;
    ~CpuPin() { release(); }

    [[nodiscard]] bool held() const noexcept { return held_; }
    [[nodiscard]] int cpu() const noexcept { return cpu_; }
    // Gives the earlier CPU set back now (the destructor does it otherwise).
    void release() noexcept;

private:
    cpu_set_t before_{};
    int cpu_ = -1;
    bool held_ = false;
};

} // namespace zc
