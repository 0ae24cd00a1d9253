#include "reports/html_parts.hpp"

#include "reports/escape.hpp"

#include <cmath>
#include <set>
#include <sstream>

namespace zc::report::html {

namespace {

// Colour-blind-safe palette (Okabe-Ito) for the chart's lines.
const char* const palette[] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"};

std::string fixed(double v, int precision)
{
    std::ostringstream s;
    s.setf(std::ios::fixed);
    s.precision(precision);
    s << v;
    return s.str();
}

} // namespace

std::string page(const std::string& title, const std::string& body)
{
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + xml_escape(title) +
           "</title>\n<style>\n"
           "body{font-family:system-ui,sans-serif;margin:1.5em;color:#222;background:#fff}\n"
           "table{border-collapse:collapse;margin:0.8em 0}\n"
           "th,td{border:1px solid #bbb;padding:0.25em 0.6em;text-align:left;font-size:0.9em}\n"
           "th{background:#eee}\n"
           "td.st-supported{background:#b7e4b0}\n"
           "td.st-unsupported{background:#ffe08a}\n"
           "td.st-blocked{background:#e3b7f0}\n"
           "td.st-skipped{background:#dddddd}\n"
           "td.st-error{background:#f4a6a6}\n"
           "td.st-none{background:#fff;color:#999}\n"
           "td[class^=st-]{white-space:nowrap}\n"
           "tr.differs td:first-child{font-weight:bold}\n"
           ".legend span{display:inline-block;padding:0.2em 0.6em;margin-right:0.4em;border:1px solid #bbb}\n"
           "code{font-size:0.95em}\n"
           "svg text{font-size:11px;font-family:system-ui,sans-serif}\n"
           "</style>\n</head>\n<body>\n" +
           body + "</body>\n</html>\n";
}

std::string legend()
{
    return "<p class=\"legend\" id=\"legend\">"
           "<span style=\"background:#b7e4b0\">supported</span>"
           "<span style=\"background:#ffe08a\">unsupported</span>"
           "<span style=\"background:#e3b7f0\">blocked</span>"
           "<span style=\"background:#dddddd\">skipped</span>"
           "<span style=\"background:#f4a6a6\">error</span>"
           "<span>zc: zero-copy seen; copy: the kernel copied; ?: inconclusive</span></p>\n";
}

std::string status_cell(const std::string& status, const std::string& zero_copy)
{
    if (status.empty()) return "<td class=\"st-none\">-</td>";
    return "<td class=\"st-" + xml_escape(status) + "\">" + xml_escape(status) +
           (zero_copy.empty() ? "" : " <b>" + xml_escape(zero_copy) + "</b>") + "</td>";
}

std::string engine_chart(const std::vector<EngineSeries>& series)
{
    std::set<long long> sizes;
    double top = 0;
    for (const auto& s : series) {
        for (const auto& [size, gbit] : s.points) {
            if (size > 0) sizes.insert(size);
            top = std::max(top, gbit);
        }
    }
    if (sizes.empty()) return "";
    if (top <= 0) top = 1;
    const double w = 760, h = 340, left = 60, right = 20, up = 20, bottom = 50;
    const double lo = std::log2(static_cast<double>(*sizes.begin()));
    const double hi = std::log2(static_cast<double>(*sizes.rbegin()));
    auto x = [&](long long size) {
        return hi > lo ? left + (std::log2(static_cast<double>(size)) - lo) / (hi - lo) * (w - left - right)
                       : (left + w - right) / 2;
    };
    auto y = [&](double gbit) { return h - bottom - gbit / top * (h - up - bottom); };
    std::ostringstream out;
    out << "<svg id=\"engine-chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" << w << "\" height=\"" << h
        << "\" viewBox=\"0 0 " << w << " " << h << "\" role=\"img\" aria-label=\"throughput against packet size\">\n"
        << "<rect x=\"0\" y=\"0\" width=\"" << w << "\" height=\"" << h << "\" fill=\"#fff\"/>\n"
        << "<line x1=\"" << left << "\" y1=\"" << h - bottom << "\" x2=\"" << w - right << "\" y2=\"" << h - bottom
        << "\" stroke=\"#444\"/>\n<line x1=\"" << left << "\" y1=\"" << up << "\" x2=\"" << left << "\" y2=\""
        << h - bottom << "\" stroke=\"#444\"/>\n";
    for (int i = 0; i <= 4; ++i) {
        const double v = top * i / 4;
        out << "<line x1=\"" << left << "\" y1=\"" << fixed(y(v), 1) << "\" x2=\"" << w - right << "\" y2=\""
            << fixed(y(v), 1) << "\" stroke=\"#e5e5e5\"/>\n<text x=\"" << left - 6 << "\" y=\"" << fixed(y(v) + 4, 1)
            << "\" text-anchor=\"end\">" << fixed(v, 2) << "</text>\n";
    }
    for (const long long size : sizes) {
        out << "<text x=\"" << fixed(x(size), 1) << "\" y=\"" << h - bottom + 16 << "\" text-anchor=\"middle\">" << size
            << "</text>\n";
    }
    out << "<text x=\"" << (left + w - right) / 2 << "\" y=\"" << h - 8
        << "\" text-anchor=\"middle\">packet size (bytes, log scale)</text>\n"
        << "<text x=\"14\" y=\"" << (up + h - bottom) / 2 << "\" text-anchor=\"middle\" transform=\"rotate(-90 14 "
        << (up + h - bottom) / 2 << ")\">Gbit/s</text>\n";
    for (size_t i = 0; i < series.size(); ++i) {
        const char* colour = palette[i % std::size(palette)];
        std::string points;
        for (const auto& [size, gbit] : series[i].points) {
            if (size <= 0) continue;
            points += (points.empty() ? "" : " ") + fixed(x(size), 1) + "," + fixed(y(gbit), 1);
        }
        out << "<polyline class=\"series\" fill=\"none\" stroke-width=\"2\" stroke=\"" << colour << "\" points=\""
            << points << "\"><title>" << xml_escape(series[i].label) << "</title></polyline>\n";
        for (const auto& [size, gbit] : series[i].points) {
            if (size <= 0) continue;
            out << "<circle cx=\"" << fixed(x(size), 1) << "\" cy=\"" << fixed(y(gbit), 1) << "\" r=\"3\" fill=\""
                << colour << "\"><title>" << xml_escape(series[i].label) << ", " << size << " B: " << fixed(gbit, 3)
                << " Gbit/s</title></circle>\n";
        }
    }
    out << "</svg>\n<ul class=\"chart-legend\">\n";
    for (size_t i = 0; i < series.size(); ++i) {
        out << "<li><span style=\"color:" << palette[i % std::size(palette)] << "\">&#9632;</span> "
            << xml_escape(series[i].label) << "</li>\n";
    }
    out << "</ul>\n";
    return out.str();
}

} // namespace zc::report::html
