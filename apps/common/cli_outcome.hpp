// What zcprobe and zcengine share about their command lines: arguments that
// do not lead to a run end in help or the version on stdout (exit 0) or in
// one error line on stderr with the tool's usage exit code.
#pragma once

#include <optional>
#include <string>

namespace CLI {
class App;
}

namespace zc {

template <class Options>
struct ParsedCli {
    std::optional<Options> options; // nullopt: exit with exit_code, printing message
    int exit_code = 0;
    std::string message; // for stdout when exit_code is 0 (help, version), else one error line
};

// Parses argv into app's options. False when the run stops here (help,
// version or a parse error), with exit_code and message set; a parse error
// gets usage_code and "...; see TOOL --help".
bool parse_args(CLI::App& app, int argc, const char* const* argv, const std::string& tool, int usage_code,
                int& exit_code, std::string& message);

// After a successful parse: an option given an empty value (`-o ''`,
// `--only ''`) is a mistake, not "option not given"; one line naming it, or
// "" when every given option has a value. Looks into parsed subcommands.
std::string empty_option_value(const CLI::App& app);

// Prints a stopped parse (message on stdout for exit 0, else "TOOL: message"
// on stderr) and returns its exit code, or exit_output_failed when stdout
// refuses the message.
int print_cli_stop(const std::string& tool, int exit_code, const std::string& message);

} // namespace zc
