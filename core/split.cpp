#include "core/split.hpp"

namespace zc {

SplitList split_list(std::string_view option, const std::string& text)
{
    SplitList out;
    size_t start = 0;
    size_t position = 1;
    while (start <= text.size()) {
        size_t end = text.find(',', start);
        if (end == std::string::npos) end = text.size();
        if (end == start) {
            out.items.clear();
            out.error = std::string(option) + " '" + text + "' has an empty item (item " + std::to_string(position) +
                        "); give items separated by single commas, e.g. " + std::string(option) + " a,b";
            return out;
        }
        out.items.push_back(text.substr(start, end - start));
        start = end + 1;
        ++position;
    }
    return out;
}

SplitList split_list(std::string_view option, const std::vector<std::string>& values)
{
    SplitList out;
    for (const auto& value : values) {
        SplitList one = split_list(option, value);
        if (!one.ok()) return one;
        for (auto& item : one.items) out.items.push_back(std::move(item));
    }
    return out;
}

} // namespace zc
