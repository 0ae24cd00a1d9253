#include "apps/common/progress.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

namespace zc {

namespace {

void write_all(int fd, const std::string& s)
{
    size_t off = 0;
    while (off < s.size()) {
        const ssize_t n = ::write(fd, s.data() + off, s.size() - off);
        if (n <= 0) return; // a progress line is not worth an error
        off += static_cast<size_t>(n);
    }
}

size_t terminal_width(int fd)
{
    winsize ws{};
    if (::ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
    return 80;
}

} // namespace

std::string progress_line(const std::string& tool, size_t done, size_t total, const std::string& what, size_t width)
{
    std::string line = tool + ": [" + std::to_string(done + 1) + "/" + std::to_string(total) + "] " + what;
    // One column short of the width: a full line would wrap on some terminals.
    if (width > 1 && line.size() > width - 1) line.resize(width - 1);
    return line;
}

Progress::Progress(std::string tool, size_t total, int fd, std::chrono::milliseconds delay)
    : tool_(std::move(tool)), total_(total), fd_(fd), enabled_(::isatty(fd) == 1),
      start_(std::chrono::steady_clock::now()), delay_(delay)
{
}

Progress::~Progress()
{
    finish();
}

void Progress::step(size_t done, const std::string& what)
{
    if (!enabled_ || std::chrono::steady_clock::now() - start_ < delay_) return;
    // \r and erase-line: the line is redrawn in place.
    write_all(fd_, "\r\033[K" + progress_line(tool_, done, total_, what, terminal_width(fd_)));
    drawn_ = true;
}

void Progress::finish()
{
    if (drawn_) write_all(fd_, "\r\033[K");
    drawn_ = false;
}

} // namespace zc
