// Whole-buffer reads and writes that retry EINTR and short transfers, so
// probes do not each carry their own loop.
#pragma once

#include "core/sys_result.hpp"

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace zc {

// Writes all of data; value = bytes written, or the errno of the failure.
SysResult write_all(int fd, std::span<const uint8_t> data);
// pwrite(2) of all of data at offset.
SysResult pwrite_all(int fd, std::span<const uint8_t> data, off_t offset);
// Reads until n bytes or end of file; out holds what was read.
SysResult read_exact(int fd, std::vector<uint8_t>& out, size_t n);

} // namespace zc
