// Probe results as report JSON: the document zcprobe writes (and zcengine
// extends), described by reports/schema/zcprobe-report.schema.json. Built
// with nlohmann/json only; reports/ reads it back as a plain document.
#pragma once

#include "core/report_schema.hpp"
#include "probe/probe.hpp"
#include "probe/runner.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace zc::probe {

// One entry of the "probes" array; with an answer, its "sandbox" object.
nlohmann::json probe_entry(const Spec& spec, const Result& result, const SandboxAnswer* answer = nullptr);

// Each outcome's sandbox answer under these facts (probe/sandbox_answer).
std::vector<SandboxAnswer> sandbox_answers(const std::vector<Outcome>& outcomes, const SandboxFacts& facts);

// A probe's history as the "history" array of results and catalog entries:
// [{version, stable, commit, subject, what, predicts: {status, FIELD: value}
// or null}], oldest first.
nlohmann::json history_array(const History& h);

// One entry of `zcprobe --list --json`.
nlohmann::json catalog_entry(const Spec& spec);

// Counts by status, every status present (0 where none).
nlohmann::json summarize(const std::vector<Outcome>& outcomes);

// The kernel object: release and version strings plus the parsed numbers
// (null where the release does not parse).
nlohmann::json kernel_object(const std::string& release, const std::string& version, const std::string& machine);

// The whole report. generated_at is an RFC 3339 UTC timestamp. With
// answers (one per outcome), every probe carries "sandbox" and the report
// "sandbox_refusals", the refused probes grouped by fix.
nlohmann::json build_report(const std::vector<Outcome>& outcomes, nlohmann::json environment, nlohmann::json kernel,
                            const std::string& generated_at, const std::vector<SandboxAnswer>* answers = nullptr);

// Current time as "2026-11-25T07:09:19Z".
std::string utc_now_rfc3339();

} // namespace zc::probe
