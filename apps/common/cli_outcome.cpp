#include "apps/common/cli_outcome.hpp"

#include "core/visible_text.hpp"
#include "core/build_info.hpp"
#include "core/output.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

namespace zc {

bool parse_args(CLI::App& app, int argc, const char* const* argv, const std::string& tool, int usage_code,
                int& exit_code, std::string& message)
{
    try {
        app.parse(argc, argv);
        message = empty_option_value(app);
        if (message.empty()) return true;
        exit_code = usage_code;
        message += "; see " + tool + " --help";
        return false;
    } catch (const CLI::CallForHelp&) {
        exit_code = 0;
        message = app.help();
    } catch (const CLI::CallForVersion&) {
        exit_code = 0;
        message = version_line(tool) + "\n";
    } catch (const CLI::ParseError& e) {
        exit_code = usage_code;
        message = std::string(e.what()) + "; see " + tool + " --help";
    }
    return false;
}

std::string empty_option_value(const CLI::App& app)
{
    for (const CLI::Option* opt : app.get_options()) {
        if (!opt->nonpositional() || opt->get_items_expected_min() == 0) continue; // positionals, flags
        for (const auto& value : opt->results()) {
            if (!value.empty()) continue;
            // get_name() is empty for hidden options, so spell the names out.
            std::string names;
            for (const auto& n : opt->get_snames()) names += (names.empty() ? "-" : "/-") + n;
            for (const auto& n : opt->get_lnames()) names += (names.empty() ? "--" : "/--") + n;
            return names + " is given an empty value";
        }
    }
    for (const CLI::App* sub : app.get_subcommands()) {
        if (auto err = empty_option_value(*sub); !err.empty()) return err;
    }
    return {};
}

int print_cli_stop(const std::string& tool, int exit_code, const std::string& message)
{
    if (exit_code == 0) {
        if (auto err = write_stdout(std::cout, message); !err.empty()) {
            std::cerr << tool << ": " << visible_text(err) << "\n";
            return exit_output_failed;
        }
    } else {
        std::cerr << tool << ": " << visible_text(message) << "\n";
    }
    return exit_code;
}

} // namespace zc
