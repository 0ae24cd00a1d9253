#include "core/split.hpp"

namespace zc {

std::vector<std::string> split_commas(const std::string& text)
{
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find(',', start);
        if (end == std::string::npos) end = text.size();
        if (end > start) out.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

std::vector<std::string> split_commas(const std::vector<std::string>& items)
{
    std::vector<std::string> out;
    for (const auto& item : items) {
        for (auto& part : split_commas(item)) out.push_back(std::move(part));
    }
    return out;
}

} // namespace zc
