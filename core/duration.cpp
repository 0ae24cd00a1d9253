#include "core/duration.hpp"

#include <exception>

namespace zc {

std::optional<int> parse_duration_ms(const std::string& text)
{
    if (text.empty()) return std::nullopt;
    double scale = 1000.0;
    std::string number = text;
    if (text.size() > 2 && text.compare(text.size() - 2, 2, "ms") == 0) {
        scale = 1.0;
        number = text.substr(0, text.size() - 2);
    } else if (text.back() == 's') {
        number = text.substr(0, text.size() - 1);
    }
    if (number.empty() || number.find_first_not_of("0123456789.") != std::string::npos) return std::nullopt;
    double value = 0;
    try {
        size_t used = 0;
        value = std::stod(number, &used);
        if (used != number.size()) return std::nullopt;
    } catch (const std::exception&) {
        return std::nullopt;
    }
    const double ms = value * scale;
    if (!(ms >= 10.0 && ms <= 600000.0)) return std::nullopt;
    return static_cast<int>(ms);
}

} // namespace zc
