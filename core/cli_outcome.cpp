#include "core/cli_outcome.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

namespace zc {

bool parse_args(CLI::App& app, int argc, const char* const* argv, const std::string& tool, int usage_code,
                int& exit_code, std::string& message)
{
    try {
        app.parse(argc, argv);
        return true;
    } catch (const CLI::CallForHelp&) {
        exit_code = 0;
        message = app.help();
    } catch (const CLI::CallForVersion&) {
        exit_code = 0;
        message = tool + " " + ZC_VERSION + "\n";
    } catch (const CLI::ParseError& e) {
        exit_code = usage_code;
        message = std::string(e.what()) + "; see " + tool + " --help";
    }
    return false;
}

int print_cli_stop(const std::string& tool, int exit_code, const std::string& message)
{
    if (exit_code == 0) {
        std::cout << message;
    } else {
        std::cerr << tool << ": " << message << "\n";
    }
    return exit_code;
}

} // namespace zc
