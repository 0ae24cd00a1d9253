#include "core/page_buffer.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <new>
#include <utility>

namespace zc {

size_t page_size() noexcept
{
    static const size_t size = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
    return size;
}

PageBuffer::PageBuffer(size_t bytes)
{
    const size_t page = page_size();
    size_ = (bytes + page - 1) / page * page;
    if (size_ == 0) size_ = page;
    void* p = ::mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        size_ = 0;
        throw std::bad_alloc();
    }
    data_ = static_cast<uint8_t*>(p);
    std::memset(data_, 0, size_);
}

PageBuffer::PageBuffer(PageBuffer&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0))
{
}

PageBuffer& PageBuffer::operator=(PageBuffer&& other) noexcept
{
    if (this != &other) {
        if (data_ != nullptr) ::munmap(data_, size_);
        data_ = std::exchange(other.data_, nullptr);
        size_ = std::exchange(other.size_, 0);
    }
    return *this;
}

PageBuffer::~PageBuffer()
{
    if (data_ != nullptr) ::munmap(data_, size_);
}

} // namespace zc
