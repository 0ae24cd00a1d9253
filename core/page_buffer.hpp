// Page-aligned anonymous memory owned for the lifetime of the object. vmsplice
// hands whole pages to the kernel, so probes and the engine allocate with
// mmap rather than new.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace zc {

size_t page_size() noexcept;

class PageBuffer {
public:
    PageBuffer() noexcept = default;
    // Rounds up to whole pages; the pages are faulted in (zero-filled) so a
    // later vmsplice sees present pages. Throws std::bad_alloc on failure.
    explicit PageBuffer(size_t bytes);
    PageBuffer(const PageBuffer&) = delete;
    PageBuffer& operator=(const PageBuffer&) = delete;
    PageBuffer(PageBuffer&& other) noexcept;
    PageBuffer& operator=(PageBuffer&& other) noexcept;
    ~PageBuffer();

    [[nodiscard]] uint8_t* data() const noexcept { return data_; }
    [[nodiscard]] size_t size() const noexcept { return size_; }
    [[nodiscard]] std::span<uint8_t> span() const noexcept { return {data_, size_}; }

private:
    uint8_t* data_ = nullptr;
    size_t size_ = 0;
};

} // namespace zc
