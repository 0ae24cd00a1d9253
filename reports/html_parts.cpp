#include "reports/html_parts.hpp"

#include "reports/escape.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

namespace zc::report::html {

namespace {

// Colour-blind-safe palette (Okabe-Ito) for the chart's bars.
const char* const palette[] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"};

// Fill patterns drawn in white over a bar's colour: with the colour they
// tell series apart, in greyscale the pattern alone does. Six patterns and
// eight colours give 24 distinct pairs (series i takes pattern i % 6 and
// colour i % 8).
const char* const patterns[] = {
    "",                                                                         // solid
    "<path d=\"M-1,1 l2,-2 M0,8 l8,-8 M7,9 l2,-2\" stroke=\"#fff\" stroke-width=\"1.6\"/>", // diagonal
    "<circle cx=\"4\" cy=\"4\" r=\"1.6\" fill=\"#fff\"/>",                         // dots
    "<path d=\"M0,4 h8\" stroke=\"#fff\" stroke-width=\"1.6\"/>",                 // horizontal
    "<path d=\"M4,0 v8\" stroke=\"#fff\" stroke-width=\"1.6\"/>",                 // vertical
    "<path d=\"M0,4 h8 M4,0 v8\" stroke=\"#fff\" stroke-width=\"1.2\"/>",         // grid
};

struct GridStyle {
    const char* verdict;
    const char* symbol;
    const char* background;
    const char* foreground;
};

// Distinct lightness as well as hue, and a distinct symbol each.
const GridStyle grid_styles[] = {
    {"zero-copy", "&#9679;", "#1b7837", "#fff"},    // ● dark green
    {"copy", "&#9675;", "#fee090", "#222"},         // ○ light yellow
    {"whole", "&#9632;", "#a6dba0", "#222"},        // ■ light green
    {"split", "&#9680;", "#f4a582", "#222"},        // ◐ salmon
    {"truncated", "&#10005;", "#b2182b", "#fff"},   // ✕ dark red
    {"inconclusive", "?", "#ffffff", "#222"},
    {"not determined", "?", "#dddddd", "#333"},      // loopback only: loopback copies by design
    {"unsupported", "&#8211;", "#e8e8e8", "#555"},  // –
    {"blocked", "&#8856;", "#c2a5cf", "#222"},      // ⊘ purple
    {"skipped", "&#8230;", "#d0d0d0", "#555"},      // …
    {"error", "!", "#f4a6a6", "#222"},
};


// A verdict as a CSS class name: "not determined" -> "not-determined".
std::string class_name(std::string verdict)
{
    for (auto& c : verdict) {
        if (c == ' ') c = '-';
    }
    return verdict;
}

const GridStyle* grid_style(const std::string& verdict)
{
    for (const auto& g : grid_styles) {
        if (verdict == g.verdict) return &g;
    }
    return nullptr;
}

// 1, 2 or 5 times a power of ten, so that about four steps cover top.
double nice_step(double top)
{
    const double raw = top / 4;
    const double p = std::pow(10.0, std::floor(std::log10(raw)));
    for (const double m : {1.0, 2.0, 5.0, 10.0}) {
        if (m * p >= raw) return m * p;
    }
    return 10 * p;
}

} // namespace

std::string page(const std::string& title, const std::string& body)
{
    std::string css =
        "body{font-family:system-ui,'DejaVu Sans',sans-serif;margin:1.5em;color:#222;background:#fff;max-width:80em}\n"
        "h1{font-size:1.5em;margin:0 0 0.3em}\n"
        "h2{font-size:1.2em;margin:1.2em 0 0.4em;border-bottom:2px solid #ddd}\n"
        "table{border-collapse:collapse;margin:0.6em 0}\n"
        "th,td{border:1px solid #bbb;padding:0.25em 0.6em;text-align:left;font-size:0.9em}\n"
        "th{background:#eee}\n"
        "td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
        // A wide table scrolls inside its box instead of widening the page.
        "div.scroll{overflow-x:auto;max-width:100%}\n"
        "td.bad{background:#f4a6a6;font-weight:bold}\n"
        // One colour per severity (verdict_view.hpp), on every page.
        "td.sev-ok,span.sev-ok{background:#b7e4b0}\n"
        "td.sev-info,span.sev-info{background:#dde8f3}\n"
        "td.sev-undetermined,span.sev-undetermined{background:#dddddd;color:#333}\n"
        "td.sev-warn,span.sev-warn{background:#ffe08a}\n"
        "td.sev-danger,span.sev-danger{background:#b2182b;color:#fff;font-weight:bold}\n"
        "td.sev-none{background:#fff;color:#999}\n"
        "td[class^=sev-]{white-space:nowrap}\n"
        "b.danger{color:#b2182b}\n"
        "td.changed{outline:3px solid #000;outline-offset:-3px;font-weight:bold}\n"
        "tr.differs td:first-child{font-weight:bold}\n"
        ".legend span{display:inline-block;padding:0.2em 0.6em;margin:0 0.4em 0.3em 0;border:1px solid #bbb}\n"
        "#summary{font-size:1.05em}\n"
        // The attention borders stay clear of the chart palette: a series'
        // colour appears nowhere else on the page.
        "#attention ul,#differs ul{list-style:none;padding:0;margin:0.4em 0}\n"
        "#attention li,#differs li{margin:0.25em 0;padding:0.35em 0.6em;border-left:6px solid #999;background:#f6f6f6}\n"
        "li.danger{border-left-color:#b2182b !important;background:#fbe3e3 !important}\n"
        "li.warn{border-left-color:#b8860b !important;background:#fff6df !important}\n"
        ".tag{display:inline-block;min-width:7.5em;font-weight:bold}\n"
        ".all-clear{padding:0.35em 0.6em;border-left:6px solid #1b7837;background:#e6f4e4}\n"
        "#security td:first-child,#security td:nth-child(3){white-space:nowrap}\n"
        "#attention li[title],#differs li[title]{cursor:help}\n"

        "#transmit-grid td.g{text-align:center;white-space:nowrap;min-width:7em}\n"
        "#transmit-grid td.g b{font-size:1.15em;margin-right:0.25em}\n"
        "details>summary{cursor:pointer;font-weight:bold;margin:1em 0 0.4em}\n"
        "code{font-size:0.95em}\n"
        "ul.chart-legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;max-width:60em}\n"
        "ul.chart-legend li{margin:0.15em 1.2em 0.15em 0}\n"
        "ul.chart-legend svg{vertical-align:middle;margin-right:0.4em}\n"
        "svg text{font-size:11px;font-family:system-ui,'DejaVu Sans',sans-serif}\n";
    for (const auto& g : grid_styles) {
        css += "td.g-" + class_name(g.verdict) + ",span.g-" + class_name(g.verdict) + "{background:" + g.background +
               ";color:" + g.foreground + "}\n";
    }
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + xml_escape(title) +
           "</title>\n<style>\n" + css + "</style>\n</head>\n<body>\n" + body + "</body>\n</html>\n";
}

std::string legend()
{
    return "<p class=\"legend\" id=\"legend\">"
           "<span class=\"sev-ok\">ok: supported, not affected, clean</span>"
           "<span class=\"sev-info\">info: unsupported (a fact about the kernel)</span>"
           "<span class=\"sev-undetermined\">not determined: blocked, skipped, no proof</span>"
           "<span class=\"sev-warn\">differs from upstream history</span>"
           "<span class=\"sev-danger\">&#10006; AFFECTED, error, unclean</span>"
           "<span>zc: zero-copy seen; copy: the kernel copied; ?: inconclusive</span></p>\n";
}

std::string verdict_cell(const std::string& word, const std::string& zero_copy, Severity severity,
                         const std::string& extra_class)
{
    const std::string extra = extra_class.empty() ? "" : " " + xml_escape(extra_class);
    if (word.empty()) return "<td class=\"sev-none" + extra + "\">-</td>";
    return std::string("<td class=\"sev-") + severity_name(severity) + extra + "\">" +
           (severity == Severity::danger ? "&#10006; " : "") + xml_escape(word) +
           (zero_copy.empty() ? "" : " <b>" + xml_escape(zero_copy) + "</b>") + "</td>";
}

std::string grid_cell(const std::string& verdict, const std::string& tooltip)
{
    if (verdict.empty()) return "<td class=\"g g-none\">-</td>";
    const GridStyle* g = grid_style(verdict);
    // An unknown word (a status from a newer schema) still shows, unstyled.
    const std::string cls = g != nullptr ? "g g-" + class_name(g->verdict) : "g";
    return "<td class=\"" + cls + "\" title=\"" + xml_escape(tooltip) + "\"><b>" + (g != nullptr ? g->symbol : "") +
           "</b>" + xml_escape(verdict) + "</td>";
}

std::string grid_legend()
{
    std::string out = "<p class=\"legend\" id=\"grid-legend\">";
    for (const auto& g : grid_styles) {
        out += "<span class=\"g-" + class_name(g.verdict) + "\"><b>" + g.symbol + "</b> " + g.verdict + "</span>";
    }
    return out + "</p>\n";
}

std::string engine_chart(const std::vector<EngineSeries>& series)
{
    std::set<long long> sizes;
    double top = 0;
    for (const auto& s : series) {
        for (const auto& [size, gbit] : s.points) {
            sizes.insert(size);
            top = std::max(top, gbit);
        }
    }
    if (sizes.empty()) return "";
    const double step = top > 0 ? nice_step(top) : 0.25;
    top = top > 0 ? std::ceil(top / step) * step : 1;
    const size_t n = series.size();
    const double left = 60, right = 20, up = 16, bottom = 44, h = 340;
    // At least 640 px of plot: one size and two modes still read as a chart.
    const double groups = static_cast<double>(sizes.size());
    const double plot = std::max(640.0, groups * (static_cast<double>(n) * 5 + 12));
    const double bar = std::clamp(plot / (groups * static_cast<double>(n + 1)), 5.0, 56.0);
    const double group = plot / groups;
    const double w = left + right + plot;
    bool any_unclean = false;
    auto y = [&](double gbit) { return h - bottom - gbit / top * (h - up - bottom); };
    std::ostringstream out;
    out << "<svg id=\"engine-chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" << fixed(w, 0) << "\" height=\"" << h
        << "\" viewBox=\"0 0 " << fixed(w, 0) << " " << h
        << "\" role=\"img\" aria-label=\"throughput per packet size, one bar per mode\">\n<defs>\n";
    for (size_t i = 0; i < n; ++i) {
        out << "<pattern id=\"zc-fill-" << i << "\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\">"
            << "<rect width=\"8\" height=\"8\" fill=\"" << palette[i % std::size(palette)] << "\"/>"
            << patterns[i % std::size(patterns)] << "</pattern>\n";
    }
    out << "</defs>\n<rect x=\"0\" y=\"0\" width=\"" << fixed(w, 0) << "\" height=\"" << h << "\" fill=\"#fff\"/>\n";
    for (double v = 0; v <= top + step / 2; v += step) {
        out << "<line x1=\"" << left << "\" y1=\"" << fixed(y(v), 1) << "\" x2=\"" << fixed(w - right, 0) << "\" y2=\""
            << fixed(y(v), 1) << "\" stroke=\"#e5e5e5\"/>\n<text x=\"" << left - 6 << "\" y=\"" << fixed(y(v) + 4, 1)
            << "\" text-anchor=\"end\">" << fixed(v, step < 1 ? 2 : 0) << "</text>\n";
    }
    out << "<line x1=\"" << left << "\" y1=\"" << h - bottom << "\" x2=\"" << fixed(w - right, 0) << "\" y2=\""
        << h - bottom << "\" stroke=\"#444\"/>\n<line x1=\"" << left << "\" y1=\"" << up << "\" x2=\"" << left
        << "\" y2=\"" << h - bottom << "\" stroke=\"#444\"/>\n";
    std::map<long long, double> group_x;
    for (const long long size : sizes) {
        const double gx = left + group * static_cast<double>(group_x.size()) + (group - bar * static_cast<double>(n)) / 2;
        group_x[size] = gx;
        out << "<text x=\"" << fixed(gx + bar * static_cast<double>(n) / 2, 1) << "\" y=\"" << h - bottom + 16
            << "\" text-anchor=\"middle\">" << size << " B</text>\n";
    }
    out << "<text x=\"" << fixed((left + w - right) / 2, 1) << "\" y=\"" << h - 8
        << "\" text-anchor=\"middle\">packet size</text>\n"
        << "<text x=\"14\" y=\"" << (up + h - bottom) / 2 << "\" text-anchor=\"middle\" transform=\"rotate(-90 14 "
        << (up + h - bottom) / 2 << ")\">Gbit/s (payload)</text>\n";
    for (size_t i = 0; i < n; ++i) {
        out << "<g class=\"series\"><title>" << xml_escape(series[i].label) << "</title>\n";
        for (const auto& [size, gbit] : series[i].points) {
            const double bx = group_x[size] + bar * static_cast<double>(i);
            const bool unclean = series[i].unclean.contains(size);
            any_unclean = any_unclean || unclean;
            out << "<rect" << (unclean ? " class=\"unclean\"" : "") << " x=\"" << fixed(bx, 1) << "\" y=\""
                << fixed(y(gbit), 1) << "\" width=\"" << fixed(bar, 1) << "\" height=\"" << fixed(y(0) - y(gbit), 1)
                << "\" fill=\"url(#zc-fill-" << i << ")\" stroke=\"" << (unclean ? "#b2182b" : "#222")
                << "\" stroke-width=\"" << (unclean ? "3" : "0.6") << "\"" << (unclean ? " stroke-dasharray=\"6 3\"" : "")
                << "><title>" << xml_escape(series[i].label) << ", " << size << " B: " << fixed(gbit, 3) << " Gbit/s"
                << (unclean ? " (unclean: packets lost, corrupted or duplicated)" : "") << "</title></rect>\n";
            if (unclean) {
                out << "<text x=\"" << fixed(bx + bar / 2, 1) << "\" y=\"" << fixed(y(gbit) - 4, 1)
                    << "\" text-anchor=\"middle\" fill=\"#b2182b\" font-weight=\"bold\">&#10006; unclean</text>\n";
            }
        }
        out << "</g>\n";
    }
    out << "</svg>\n<ul class=\"chart-legend\">\n";
    for (size_t i = 0; i < n; ++i) {
        out << "<li><svg width=\"22\" height=\"14\" aria-hidden=\"true\"><rect x=\"0.5\" y=\"0.5\" width=\"21\" "
               "height=\"13\" fill=\"url(#zc-fill-"
            << i << ")\" stroke=\"#222\"/></svg>" << xml_escape(series[i].label) << "</li>\n";
    }
    if (any_unclean) {
        out << "<li><svg width=\"22\" height=\"14\" aria-hidden=\"true\"><rect x=\"1.5\" y=\"1.5\" width=\"19\" "
               "height=\"11\" fill=\"#fff\" stroke=\"#b2182b\" stroke-width=\"3\" stroke-dasharray=\"6 3\"/></svg>"
               "&#10006; unclean run: packets lost, corrupted or duplicated (the rate is not a clean result)</li>\n";
    }
    out << "</ul>\n";
    return out.str();
}

} // namespace zc::report::html
