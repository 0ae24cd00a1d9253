// Symbolic errno names ("EINVAL") for reports and messages. glibc's
// strerrorname_np keeps the table, so we do not write one by hand.
#pragma once

#include <optional>
#include <string>

namespace zc {

// "EINVAL"; std::nullopt for 0 and for numbers libc does not know.
std::optional<std::string> errno_name(int err);

// "EINVAL (Invalid argument)", or "errno 1234" for an unknown number.
std::string errno_text(int err);

} // namespace zc
