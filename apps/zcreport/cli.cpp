#include "apps/zcreport/cli.hpp"

#include "apps/common/cli_outcome.hpp"
#include "apps/common/output_options.hpp"
#include "core/build_info.hpp"
#include "core/glob.hpp"
#include "core/output.hpp"
#include "core/split.hpp"
#include "core/visible_text.hpp"
#include "reports/diff.hpp"
#include "reports/escape.hpp"
#include "reports/fleet.hpp"
#include "reports/matrix.hpp"
#include "reports/redact.hpp"
#include "reports/render.hpp"
#include "reports/render_text.hpp"
#include "reports/report_reader.hpp"
#include "reports/report_view.hpp"
#include "reports/verdict_view.hpp"

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <filesystem>
#include <optional>
#include <iostream>
#include <ostream>

namespace zc::report {

using nlohmann::json;

namespace {

constexpr const char* exit_help =
    "Exit codes: 0 ok; 1 diff found a regression, or a --require'd probe is not supported, or with --strict "
    "anything needs attention; 2 usage or bad input (unreadable, malformed, over 16 MiB, deeper than 64 levels, invalid UTF-8, "
    "unsupported schema_version, schema violation, a FIFO without a writer), or the output (stdout or -o) could not be "
    "written; 3 internal error"
    "; 128+N interrupted by signal N (SIGINT 130, SIGTERM 143, SIGHUP 129), nothing left behind.\n"
    "\n"
    "Examples:\n"
    "  $ zcreport validate report.json\n"
    "  $ zcreport render report.json --format html -o report.html\n"
    "  $ zcreport matrix old.json new.json --label before,after --format markdown\n"
    "  $ zcreport diff old.json new.json\n"
    "  $ zcreport fleet old.json new.json --format html -o fleet.html\n"
    "\n"
    "zcreport fleet never stops at a bad report: it reads every other one, names the bad and foreign ones in the "
    "view and on stderr, and exits 2 when one was bad (or none could be read); otherwise 1 with --strict when a "
    "host needs attention or with --require when a required probe is not supported on some host, else 0.\n";

constexpr size_t max_errors_per_file = 20;

struct Shared {
    std::string output;
    std::string colour = "auto"; // render, matrix: --color
    ColourWhen colour_when = ColourWhen::automatic;
    bool redact = false;
    std::vector<std::string> redact_words;
};

class Command {
public:
    Command(std::ostream& out, std::ostream& err) : out_(out), err_(err) {}

    int usage(const std::string& message)
    {
        err_ << "zcreport: " << visible_text(message) << "\n";
        return exit_bad_input;
    }

    // Loads one file, or reports its first problem (and returns false).
    bool load_one(const std::string& f, LoadedReport& r)
    {
        if (f != "-" && std::filesystem::is_directory(f)) {
            usage(f + ": is a directory; expected a zcprobe report (JSON)");
            return false;
        }
        r = load_report_file(f);
        if (!r.ok()) {
            std::string more;
            if (r.errors.size() > 1) {
                more = " (and " + std::to_string(r.errors.size() - 1) + " more; see zcreport validate " + f + ")";
            }
            usage(f + ": " + r.errors.front() + more);
            return false;
        }
        return true;
    }

    // Loads every file or reports the first problem of the first bad one.
    bool load_all(const std::vector<std::string>& files, std::vector<json>& docs)
    {
        for (const auto& f : files) {
            LoadedReport r;
            if (!load_one(f, r)) return false;
            docs.push_back(std::move(r.doc));
        }
        return true;
    }

    // The -o path (and that its name does not announce another format than
    // `format`), --color and the --redact-word list, checked before any
    // input is read.
    bool check_shared(Shared& s, const std::string& format)
    {
        const auto when = parse_colour_when(s.colour);
        if (!when) {
            usage("--color '" + s.colour + "' is not auto, always or never");
            return false;
        }
        s.colour_when = *when;
        SplitList words = split_list("--redact-word", s.redact_words);
        if (!words.ok()) {
            usage(words.error);
            return false;
        }
        s.redact_words = std::move(words.items);
        if (s.output.empty()) return true;
        if (auto e = output_format_conflict(s.output, format); !e.empty()) {
            usage(e);
            return false;
        }
        if (auto e = check_output_path(s.output); !e.empty()) {
            usage(e);
            return false;
        }
        return true;
    }

    int emit(const Shared& s, const std::string& text, int code)
    {
        const std::string e = s.output.empty() ? write_stdout(out_, text) : write_output_file(s.output, text);
        if (!e.empty()) {
            err_ << "zcreport: " << visible_text(e) << "\n";
            return exit_output_failed;
        }
        return code;
    }

    // Plain stdout (help, validate's lines); exit_output_failed if refused.
    int print(const std::string& text, int code)
    {
        return emit(Shared{}, text, code);
    }

    void redact(const Shared& s, std::vector<json>& docs)
    {
        if (!s.redact) return;
        Redactor r(s.redact_words);
        for (auto& d : docs) r.redact(d);
    }

    std::ostream& out_;
    std::ostream& err_;
};

void add_output_options(CLI::App* app, Shared& s)
{
    app->add_option("-o,--output", s.output, "Write to FILE atomically instead of stdout (a device or FIFO is "
                                           "written through)")
        ->type_name("FILE");
    app->add_flag("--redact", s.redact,
                  "Replace hostnames, boot_id, IP and MAC addresses and user names (home directories) consistently");
    app->add_option("--redact-word", s.redact_words,
                    "With --redact: also replace these words (comma-separated), e.g. user or site names")
        ->option_text("WORDS");
}

void add_colour_option(CLI::App* app, Shared& s)
{
    app->add_option("--color", s.colour, "Colour the text format: auto (on a terminal, unless NO_COLOR is set), "
                                         "always, never (never into -o FILE)")
        ->type_name("WHEN")
        ->capture_default_str();
}

} // namespace

int run_zcreport(int argc, const char* const* argv, std::ostream& out, std::ostream& err)
{
    CLI::App app{"zcreport: validate zcprobe reports, merge them into a kernel matrix, diff them, and render them "
                 "for people (text, Markdown, HTML), CI (JUnit) and fleets (Prometheus).",
                 "zcreport"};
    app.footer(exit_help);
    app.set_version_flag("--version", version_line("zcreport"));
    app.set_help_all_flag("--help-all", "Print this help and every command's options, and exit");
    app.require_subcommand(1);

    std::vector<std::string> validate_files;
    auto* validate = app.add_subcommand("validate", "Check reports against the schema (schema_version 1..1); "
                                                    "one line per problem: FILE: /json/pointer: what was expected");
    validate->add_option("files", validate_files, "Report files ('-' for stdin)")->required()->option_text("FILE...");

    Shared render_s;
    std::string render_file, render_format = "text";
    std::vector<std::string> require;
    bool strict = false;
    auto* render = app.add_subcommand("render", "Render one report");
    render->add_option("file", render_file, "Report file ('-' for stdin)")->required()->type_name("FILE");
    render->add_option("--format", render_format, "text|markdown|junit|prometheus|html|json")
        ->type_name("FORMAT")
        ->capture_default_str();
    render->add_option("--require", require,
                       "Ids or globs (comma-separated) that must be supported: JUnit failures, and exit 1")
        ->option_text("ID-GLOBS");
    render->add_flag("--strict", strict,
                     "Exit 1 when anything needs attention: an affected CVE, an error, a --require'd probe "
                     "not supported, an unclean or failed engine run");
    add_output_options(render, render_s);
    add_colour_option(render, render_s);

    Shared matrix_s;
    std::vector<std::string> matrix_files;
    std::string matrix_format = "text";
    std::vector<std::string> matrix_labels;
    auto* matrix = app.add_subcommand("matrix", "Merge reports (one per host or kernel) into one matrix");
    matrix->add_option("files", matrix_files, "Report files")->required()->option_text("FILE...");
    matrix->add_option("--label", matrix_labels,
                       "Column names (comma-separated), one per file in order, each different; default: host release")
        ->option_text("LABELS");
    matrix->add_option("--format", matrix_format, "text|markdown|json|html")->type_name("FORMAT")->capture_default_str();
    add_output_options(matrix, matrix_s);
    add_colour_option(matrix, matrix_s);

    Shared diff_s;
    std::string diff_a, diff_b, diff_format = "text";
    auto* diff = app.add_subcommand("diff", "What changed from report A to report B; exit 1 on a regression "
                                            "(a probe that was supported and is not)");
    diff->add_option("a", diff_a, "The earlier report")->required()->type_name("FILE");
    diff->add_option("b", diff_b, "The later report")->required()->type_name("FILE");
    diff->add_option("--format", diff_format, "text|markdown|json")->type_name("FORMAT")->capture_default_str();
    add_output_options(diff, diff_s);

    std::vector<std::string> fleet_inputs_args;
    std::string fleet_output, fleet_colour = "auto", fleet_format = "text";
    std::vector<std::string> fleet_require;
    bool fleet_strict = false;
    unsigned fleet_threads = 0;
    auto* fleet = app.add_subcommand("fleet", "Many hosts' reports at once: what needs attention and where, hosts that "
                                              "differ from their kernel group, CVEs, status counts");
    fleet->add_option("inputs", fleet_inputs_args,
                      "Report files, directories (their *.json files, recursively) or '-' (paths on stdin, one a line)")
        ->required()
        ->option_text("PATH...");
    fleet->add_option("--format", fleet_format, "text|markdown|json|html")->type_name("FORMAT")->capture_default_str();
    fleet->add_option("--require", fleet_require,
                      "Ids or globs (comma-separated) that must be supported: listed under needs attention, and exit 1")
        ->option_text("ID-GLOBS");
    fleet->add_flag("--strict", fleet_strict, "Exit 1 when any host needs attention");
    fleet->add_option("--threads", fleet_threads, "Reports read at once (default: one per processor, at most 4)")
        ->type_name("N")
        ->check(CLI::Range(1U, 64U));
    fleet->add_option("-o,--output", fleet_output, "Write to FILE atomically instead of stdout")->type_name("FILE");
    fleet->add_option("--color", fleet_colour, "Colour the text format: auto, always, never")
        ->type_name("WHEN")
        ->capture_default_str();

    // CLI11 would call an unknown word a missing subcommand; name it.
    if (argc > 1 && argv[1][0] != '-') {
        const std::string word = argv[1];
        if (word != "validate" && word != "render" && word != "matrix" && word != "diff" && word != "fleet") {
            err << "zcreport: '" << visible_text(word)
                << "' is not a command; commands: validate, render, matrix, diff, fleet\n";
            return exit_bad_input;
        }
    }
    Command cmd(out, err);
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        return cmd.print(app.help(), exit_ok);
    } catch (const CLI::CallForAllHelp&) {
        return cmd.print(app.help("", CLI::AppFormatMode::All), exit_ok);
    } catch (const CLI::CallForVersion&) {
        return cmd.print(version_line("zcreport") + "\n", exit_ok);
    } catch (const CLI::ParseError& e) {
        std::string what = e.what();
        if (what.empty()) what = "a subcommand is required: validate, render, matrix, diff or fleet";
        err << "zcreport: " << visible_text(what) << "; see zcreport --help\n";
        return exit_bad_input;
    }
    if (auto e = empty_option_value(app); !e.empty()) return cmd.usage(e + "; see zcreport --help");

    if (validate->parsed()) {
        int code = exit_ok;
        for (const auto& f : validate_files) {
            if (f != "-" && std::filesystem::is_directory(f)) {
                err << visible_text(f) << ": is a directory; expected a zcprobe report (JSON)\n";
                code = exit_bad_input;
                continue;
            }
            const LoadedReport r = load_report_file(f);
            if (r.ok()) {
                const std::string line = visible_text(f) + ": valid (schema_version " +
                                         std::to_string(r.doc.at("schema_version").get<int>()) + ", " +
                                         std::to_string(r.doc.at("probes").size()) + " probes)\n";
                if (cmd.print(line, exit_ok) != exit_ok) return exit_output_failed;
                continue;
            }
            code = exit_bad_input;
            for (size_t i = 0; i < r.errors.size() && i < max_errors_per_file; ++i) err << visible_text(f) << ": " << r.errors[i] << "\n";
            if (r.errors.size() > max_errors_per_file) {
                err << visible_text(f) << ": ... and " << r.errors.size() - max_errors_per_file << " more problems\n";
            }
        }
        return code;
    }

    if (render->parsed()) {
        const auto format = parse_format(render_format);
        if (!format) return cmd.usage("--format '" + render_format + "' is not one of " + format_names());
        if (!cmd.check_shared(render_s, render_format)) return exit_bad_input;
        ReleasedDocs docs;
        if (!cmd.load_all({render_file}, docs)) return exit_bad_input;
        cmd.redact(render_s, docs);
        const json& doc = docs.front();
        RenderOptions options;
        SplitList required = split_list("--require", require);
        if (!required.ok()) return cmd.usage(required.error);
        options.require = std::move(required.items);
        options.strict = strict;
        options.colour = *format == Format::text && render_s.output.empty() &&
                         (render_s.colour_when == ColourWhen::always ||
                          (&out == &std::cout && use_colour(render_s.colour_when, STDOUT_FILENO)));
        for (const auto& pattern : options.require) {
            bool any = false;
            for (const auto& p : doc.at("probes")) any = any || glob_match(pattern, p.at("id").get<std::string>());
            if (!any) return cmd.usage("--require '" + pattern + "' matches no probe id in " + render_file);
        }
        // The gate reads the same attention list every format shows: a
        // --require'd probe not supported, and with --strict anything that
        // needs attention (an affected CVE, an error, a probe that differs
        // from its history, an unclean or failed engine run). What is
        // informational (unsupported by design, skipped, not determined)
        // passes.
        int code = exit_ok;
        std::vector<std::string> unmet;
        for (const auto& a : attention_list(doc, options.require)) {
            bool gated = strict || a.tag == "required";
            for (const auto& pattern : options.require) gated = gated || glob_match(pattern, a.subject);
            if (!gated) continue;
            unmet.push_back(text_escape("zcreport: " + a.subject + " needs attention (" + a.tag + "): " + a.text));
            code = exit_gate;
        }
        const int written = cmd.emit(render_s, render_report(doc, *format, options), code);
        if (written != exit_output_failed) {
            for (const auto& line : unmet) err << visible_text(line) << "\n";
        }
        return written;
    }

    if (matrix->parsed()) {
        if (matrix_format != "text" && matrix_format != "markdown" && matrix_format != "json" && matrix_format != "html") {
            return cmd.usage("--format '" + matrix_format + "' is not one of text|markdown|json|html");
        }
        if (!cmd.check_shared(matrix_s, matrix_format)) return exit_bad_input;
        SplitList labels = split_list("--label", matrix_labels);
        if (!labels.ok()) return cmd.usage(labels.error);
        if (!labels.items.empty() && labels.items.size() != matrix_files.size()) {
            return cmd.usage("--label: " + std::to_string(labels.items.size()) + " given for " +
                             std::to_string(matrix_files.size()) + (matrix_files.size() == 1 ? " file" : " files") +
                             "; give one label per file, in order");
        }
        for (size_t i = 0; i < labels.items.size(); ++i) {
            for (size_t j = 0; j < i; ++j) {
                if (labels.items[i] == labels.items[j]) {
                    return cmd.usage("--label '" + text_escape(labels.items[i]) + "' is given twice; each column needs its own label");
                }
            }
        }
        // One report at a time: the matrix keeps its cells, not the reports.
        MatrixBuilder builder;
        std::optional<Redactor> redactor;
        if (matrix_s.redact) redactor.emplace(matrix_s.redact_words);
        for (size_t i = 0; i < matrix_files.size(); ++i) {
            LoadedReport r;
            if (!cmd.load_one(matrix_files[i], r)) return exit_bad_input;
            if (redactor) redactor->redact(r.doc);
            builder.add(r.doc, labels.items.empty() ? "" : labels.items[i]);
        }
        const Matrix m = std::move(builder).finish();
        std::string text;
        if (matrix_format == "text") {
            text = render_matrix_text(m, matrix_s.output.empty() &&
                                             (matrix_s.colour_when == ColourWhen::always ||
                                              (&out == &std::cout && use_colour(matrix_s.colour_when, STDOUT_FILENO))));
        } else if (matrix_format == "markdown") {
            text = render_matrix_markdown(m);
        } else if (matrix_format == "json") {
            text = json_text(matrix_json(m));
        } else {
            text = render_matrix_html(m);
        }
        return cmd.emit(matrix_s, text, exit_ok);
    }

    if (diff->parsed()) {
        if (diff_format != "text" && diff_format != "markdown" && diff_format != "json") {
            return cmd.usage("--format '" + diff_format + "' is not one of text|markdown|json");
        }
        if (!cmd.check_shared(diff_s, diff_format)) return exit_bad_input;
        ReleasedDocs docs;
        if (!cmd.load_all({diff_a, diff_b}, docs)) return exit_bad_input;
        cmd.redact(diff_s, docs);
        const Diff d = diff_reports(docs[0], docs[1]);
        const std::string la = report_label(docs[0]);
        const std::string lb = report_label(docs[1]);
        std::string text;
        if (diff_format == "text") {
            text = render_diff_text(d, la, lb, diff_s.output.empty() && &out == &std::cout && want_colour(STDOUT_FILENO));
        } else if (diff_format == "markdown") {
            text = render_diff_markdown(d, la, lb);
        } else {
            text = json_text(diff_json(d, la, lb));
        }
        return cmd.emit(diff_s, text, d.has_regression() ? exit_gate : exit_ok);
    }
    if (fleet->parsed()) {
        if (fleet_format != "text" && fleet_format != "markdown" && fleet_format != "json" && fleet_format != "html") {
            return cmd.usage("--format '" + fleet_format + "' is not one of text|markdown|json|html");
        }
        Shared s;
        s.output = fleet_output;
        s.colour = fleet_colour;
        if (!cmd.check_shared(s, fleet_format)) return exit_bad_input;
        SplitList required = split_list("--require", fleet_require);
        if (!required.ok()) return cmd.usage(required.error);
        const FleetInputs inputs = fleet_inputs(fleet_inputs_args, std::cin);
        FleetOptions options;
        options.require = required.items;
        options.threads = fleet_threads;
        Fleet f = build_fleet(inputs.paths, options);
        f.inputs += inputs.problems.size();
        f.skipped.insert(f.skipped.begin(), inputs.problems.begin(), inputs.problems.end());
        std::string text;
        if (fleet_format == "text") {
            text = render_fleet_text(f, s.output.empty() && (s.colour_when == ColourWhen::always ||
                                                             (&out == &std::cout && use_colour(s.colour_when, STDOUT_FILENO))));
        } else if (fleet_format == "markdown") {
            text = render_fleet_markdown(f);
        } else if (fleet_format == "json") {
            text = json_text(fleet_json(f));
        } else {
            text = render_fleet_html(f);
        }
        // --require'd ids that no report names are a typo, not a pass.
        std::vector<std::string> unmatched;
        for (const auto& pattern : options.require) {
            bool any = false;
            for (const auto& p : f.probes) any = any || glob_match(pattern, p.id);
            if (!any && f.read > 0) unmatched.push_back(pattern);
        }
        bool gate = fleet_strict && f.hosts_needing_attention > 0;
        for (const auto& a : f.attention) gate = gate || a.tag == "required";
        const bool bad = f.bad() > 0 || f.read == 0 || !unmatched.empty();
        const int code = bad ? exit_bad_input : gate ? exit_gate : exit_ok;
        const int written = cmd.emit(s, text, code);
        if (written != code) return written; // the output failed (emit said why)
        if (f.read == 0) err << "zcreport: fleet: no report could be read\n";
        if (!f.skipped.empty()) {
            err << "zcreport: fleet: " << f.skipped.size() << " of " << f.inputs << " reports not read (" << f.bad()
                << " bad, " << f.foreign() << " foreign); the view names them\n";
        }
        for (const auto& pattern : unmatched) {
            err << "zcreport: --require '" << visible_text(pattern) << "' matches no probe id in any report\n";
        }
        return written;
    }
    return cmd.usage("a subcommand is required: validate, render, matrix, diff or fleet");
}

} // namespace zc::report
