#include "probe/history.hpp"

namespace zc::probe {

Predicts expect(Status status, std::string field, nlohmann::json value)
{
    return {status, std::move(field), std::move(value)};
}

Change change(const kc::KernelCommit& c, std::string what, std::optional<Predicts> predicts,
              std::vector<std::string> stable)
{
    return {std::string(c.version), std::move(stable),  std::string(c.commit),
            std::string(c.subject), std::move(what), std::move(predicts)};
}

Change unidentified(std::string version, std::string what, std::optional<Predicts> predicts)
{
    return {std::move(version), {}, "", "", std::move(what), std::move(predicts)};
}

} // namespace zc::probe
