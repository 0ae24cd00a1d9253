// A progress line on stderr for runs long enough to wonder about: only when
// stderr is a terminal (never in pipes or CI logs) and only once the run has
// taken longer than a delay (about a second), so a short run prints nothing.
// The line is redrawn in place and erased when the run ends.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace zc {

// "TOOL: [i/N] WHAT", cut to width columns (pure).
std::string progress_line(const std::string& tool, size_t done, size_t total, const std::string& what,
                          size_t width);

class Progress {
public:
    // Draws on fd only when isatty(fd); total is the number of steps.
    Progress(std::string tool, size_t total, int fd, std::chrono::milliseconds delay = std::chrono::milliseconds(1000));
    ~Progress();
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    // Step done+1 of total starts now, doing `what`.
    void step(size_t done, const std::string& what);
    // Erases the line if one was drawn.
    void finish();

private:
    std::string tool_;
    size_t total_;
    int fd_;
    bool enabled_;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point start_;
    std::chrono::milliseconds delay_;
};

} // namespace zc
