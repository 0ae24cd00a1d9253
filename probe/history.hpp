// A probe's history: the kernel changes that changed what it observes, and
// what each one leads one to expect from a kernel at or after it. Reports
// compare the observation with the entry that applies to the running
// kernel and flag a difference (a backport, a distro patch or a
// regression); the verdict always comes from behaviour, never from here.
#pragma once

#include "core/verdict.hpp"
#include "probe/kernel_commits.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace zc::probe {

// What a kernel at or after a change shows: a status, and optionally one
// field of the result with its value. The field is an evidence key
// ("zero_copy", "outcome") or the result's "errno_name".
struct Predicts {
    Status status = Status::supported;
    std::string field; // "" when the status says it all
    nlohmann::json value = nullptr;
};

struct Change {
    std::string version;             // first mainline release; "" when unknown
    std::vector<std::string> stable; // stable releases that carry it too: "5.10.102"
    std::string commit;              // verified mainline id; "" when not identified
    std::string subject;             // the commit's subject; "" without a commit
    std::string what;                // what it changed for this probe
    std::optional<Predicts> predicts; // nullopt: nothing to compare with
};

// Oldest first; the first entry is where the probed behaviour came from.
using History = std::vector<Change>;

Predicts expect(Status status, std::string field = {}, nlohmann::json value = nullptr);

// A change made by one cited commit.
Change change(const kc::KernelCommit& c, std::string what, std::optional<Predicts> predicts = std::nullopt,
              std::vector<std::string> stable = {});

// A change seen in behaviour whose commit is not identified: no commit, and
// `what` says so.
Change unidentified(std::string version, std::string what, std::optional<Predicts> predicts = std::nullopt);

} // namespace zc::probe
