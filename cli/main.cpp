// leadscore: the command-line scorer on the same core as the page.
// INPUT is a CSV or an Excel workbook (.xlsx, .xlsm; --sheet NAME|N picks its sheet).
//   leadscore score INPUT.csv [-o OUT.csv] [--model MODEL.json] [--as-of YYYY-MM-DD]
//                   [--summary SUMMARY.json] [--delimiter C] [--map FIELD=HEADER]...
//                   [--neutralize-formulas] [--bom] [--quiet]
//   leadscore columns INPUT.csv [--model MODEL.json] [--delimiter C] [--json]
//   leadscore explain INPUT.csv --row N [--model MODEL.json] [--as-of YYYY-MM-DD]
//   leadscore sample [--rows N] [--seed S] [--as-of YYYY-MM-DD] [-o OUT.csv] [--truth] [--free-text]
//   leadscore sql --dialect D [--model MODEL.json] [--table T] [--columns MAPPING.json] [--types TYPES.json]
//                 [--key COLUMN]... [--as-of YYYY-MM-DD] [-o OUT.sql]
//   leadscore dbt --dialect D -o DIR [the options of sql]: the same query as a dbt project
//   leadscore check-model MODEL.json
//   leadscore default-model
// Exit codes: 0 done, 1 unusable input or invalid model, 2 wrong usage.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "leadscore/leadscore.hpp"
#include "leadscore/zlib_inflate.hpp"

namespace {

using namespace leadscore;

constexpr int kExitInput = 1;
constexpr int kExitUsage = 2;
constexpr std::size_t kChunkBytes = 1 << 20;

const char* const kUsage =
    "usage:\n"
    "  leadscore score INPUT.csv [-o OUT.csv] [--model MODEL.json] [--as-of YYYY-MM-DD]\n"
    "                  [--summary SUMMARY.json] [--delimiter C] [--map FIELD=HEADER]...\n"
    "                  [--neutralize-formulas] [--bom] [--quiet]\n"
    "  leadscore columns INPUT.csv [--model MODEL.json] [--delimiter C] [--json]\n"
    "  leadscore explain INPUT.csv --row N [--model MODEL.json] [--as-of YYYY-MM-DD]\n"
    "  leadscore sample [--rows N] [--seed S] [--as-of YYYY-MM-DD] [-o OUT.csv] [--truth] [--free-text]\n"
    "  leadscore backtest INPUT.csv [--outcome COLUMN] [--model MODEL.json] [--compare MODEL.json]\n"
    "                  [--as-of YYYY-MM-DD] [--json]\n"
    "  leadscore train INPUT.csv [--outcome COLUMN] [-o MODEL.json] [--report REPORT.json]\n"
    "                  [--keep COLUMN]... [--folds K] [--seed S] [--balance] [--hot-share X | --hot-rate X]\n"
    "  leadscore sql --dialect postgres|duckdb|sqlite|bigquery|snowflake|spark|trino [--model MODEL.json]\n"
    "                  [--table TABLE] [--columns MAPPING.json] [--types TYPES.json] [--key COLUMN]...\n"
    "                  [--as-of YYYY-MM-DD] [-o OUT.sql]\n"
    "  leadscore dbt --dialect D -o DIR [the options of sql but -o]: the same query as a dbt project\n"
    "  leadscore check-model MODEL.json\n"
    "  leadscore default-model\n"
    "\n"
    "INPUT and OUT may be - for standard input and output. Without -o the scored CSV goes to\n"
    "standard output; the summary and row issues go to standard error. INPUT may also be an Excel\n"
    "workbook (.xlsx, .xlsm): its first visible worksheet is read, or the one --sheet NAME|N names.\n";

/// A failure that ends the command with a one-line message.
struct Failure {
  int exit_code;
  std::string message;
};

struct Options {
  std::string command;
  std::vector<std::string> positional;
  std::string output;
  std::string model_path;
  std::string summary_path;
  std::string sheet;              // a workbook's sheet: name or 1-based number
  std::string outcome;            // backtest: the outcome column's header
  std::string compare_path;       // backtest: a second model
  std::string report_path;        // train: the report
  std::vector<std::string> keep;  // train: flagged columns kept
  std::string dialect;            // sql
  std::string table = "leads";    // sql
  std::string columns_path;       // sql: the column mapping
  std::string types_path;         // sql: the columns' types
  std::vector<std::string> keys;  // sql: columns returned with the scores
  std::int64_t folds = 5;
  bool balance = false;
  double hot_share = 0.2;
  double hot_rate = 0;
  std::optional<std::int32_t> as_of;
  char delimiter = 0;
  std::map<std::string, std::string> mapping;
  bool neutralize = false;
  bool bom = false;
  bool quiet = false;
  bool json = false;
  std::int64_t row = 0;
  std::int64_t rows = 10000;
  std::uint64_t seed = 1;
  bool truth = false;
  bool free_text = false;
};

char parse_delimiter(const std::string& text) {
  if (text == "tab" || text == "\\t" || text == "\t") return '\t';
  if (text == "comma") return ',';
  if (text == "semicolon") return ';';
  if (text == "pipe") return '|';
  if (text.size() == 1 && text[0] != '"' && text[0] != '\r' && text[0] != '\n') return text[0];
  throw Failure{kExitUsage, "--delimiter takes one character (or tab, comma, semicolon, pipe), not \"" + text + "\""};
}

// Options by name: those that take a text, those that may be given again (each adds one), flags.
const std::pair<const char*, std::string Options::*> kTextOptions[] = {
    {"-o", &Options::output},          {"--output", &Options::output},        {"--model", &Options::model_path},
    {"--outcome", &Options::outcome},  {"--compare", &Options::compare_path}, {"--report", &Options::report_path},
    {"--dialect", &Options::dialect},  {"--table", &Options::table},          {"--columns", &Options::columns_path},
    {"--types", &Options::types_path}, {"--summary", &Options::summary_path}, {"--sheet", &Options::sheet}};
const std::pair<const char*, std::vector<std::string> Options::*> kListOptions[] = {{"--keep", &Options::keep},
                                                                                    {"--key", &Options::keys}};
const std::pair<const char*, bool Options::*> kFlags[] = {{"--balance", &Options::balance},
                                                          {"--neutralize-formulas", &Options::neutralize},
                                                          {"--neutralise-formulas", &Options::neutralize},
                                                          {"--bom", &Options::bom},
                                                          {"--quiet", &Options::quiet},
                                                          {"-q", &Options::quiet},
                                                          {"--truth", &Options::truth},
                                                          {"--free-text", &Options::free_text},
                                                          {"--json", &Options::json}};

/// A whole number read from `v` for `arg`, at least `least` and at most `most`.
std::int64_t whole_number(const std::string& arg, const std::string& v, double least, double most, const char* what) {
  const auto n = parse_number(v);
  if (!n || *n < least || *n > most || *n != std::floor(*n))
    throw Failure{kExitUsage, arg + " takes " + what + ", not \"" + v + "\""};
  return static_cast<std::int64_t>(*n);
}

/// An option whose value (`value()` reads it) is more than a text; false when `arg` is none of them.
/// `value` reads the option's value.
template <class Value>
bool read_value_option(Options& o, const std::string& arg, Value&& value) {
  if (arg == "--folds") {
    o.folds = whole_number(arg, value(), 2, 20, "a whole number from 2 to 20");
  } else if (arg == "--hot-share" || arg == "--hot-rate") {
    const std::string v = value();
    const auto n = parse_number(v);
    if (!n || *n <= 0 || *n >= 1) throw Failure{kExitUsage, arg + " takes a share between 0 and 1, not \"" + v + "\""};
    (arg == "--hot-share" ? o.hot_share : o.hot_rate) = *n;
  } else if (arg == "--as-of") {
    const std::string v = value();
    o.as_of = parse_date(v);
    if (!o.as_of) throw Failure{kExitUsage, "--as-of takes a date like 2025-03-14, not \"" + v + "\""};
  } else if (arg == "--delimiter") {
    o.delimiter = parse_delimiter(value());
  } else if (arg == "--map") {
    const std::string v = value();
    const std::size_t eq = v.find('=');
    if (eq == std::string::npos || eq == 0) throw Failure{kExitUsage, "--map takes FIELD=HEADER, not \"" + v + "\""};
    o.mapping[v.substr(0, eq)] = v.substr(eq + 1);
  } else if (arg == "--row") {
    o.row = whole_number(arg, value(), 1, 1e18, "a data row number from 1");
  } else if (arg == "--rows") {
    o.rows = whole_number(arg, value(), 0, 1e12, "a whole number");
  } else if (arg == "--seed") {
    o.seed = static_cast<std::uint64_t>(whole_number(arg, value(), 0, 1e12, "a whole number"));
  } else {
    return false;
  }
  return true;
}

Options parse_args(int argc, char** argv) {
  Options o;
  if (argc < 2) throw Failure{kExitUsage, "no command given"};
  o.command = argv[1];
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw Failure{kExitUsage, arg + " needs a value"};
      return argv[++i];
    };
    const auto named = [&](const auto& table) {
      return std::find_if(std::begin(table), std::end(table), [&](const auto& option) { return arg == option.first; });
    };
    if (const auto text = named(kTextOptions); text != std::end(kTextOptions)) {
      o.*(text->second) = value();
    } else if (const auto list = named(kListOptions); list != std::end(kListOptions)) {
      (o.*(list->second)).push_back(value());
    } else if (const auto flag = named(kFlags); flag != std::end(kFlags)) {
      o.*(flag->second) = true;
    } else if (read_value_option(o, arg, value)) {
      continue;
    } else if (arg.size() > 1 && arg[0] == '-') {
      throw Failure{kExitUsage, "unknown option " + arg};
    } else {
      o.positional.push_back(arg);
    }
  }
  return o;
}

/// A file (or - for stdin/stdout) that closes itself.
struct File {
  std::FILE* handle = nullptr;
  bool owned = false;
  File(const std::string& path, bool write) {
    if (path == "-") {
      handle = write ? stdout : stdin;
      return;
    }
    handle = std::fopen(path.c_str(), write ? "wb" : "rb");
    owned = handle != nullptr;
    if (!handle) {
      throw Failure{kExitInput,
                    std::string("cannot ") + (write ? "write " : "read ") + path + ": " + std::strerror(errno)};
    }
  }
  ~File() {
    if (owned) std::fclose(handle);
  }
  File(const File&) = delete;
  File& operator=(const File&) = delete;
};

std::string read_all(const std::string& path) {
  File file(path, false);
  std::string text;
  char buffer[1 << 16];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, file.handle)) text.append(buffer, n);
  return text;
}

ScoringModel load_model(const std::string& path) {
  if (path.empty()) return default_model();
  auto result = parse_model(read_all(path));
  if (!result.ok()) throw Failure{kExitInput, path + ": " + result.error().to_string()};
  return std::move(result).value();
}

std::string with_commas(std::int64_t n) {
  std::string digits = std::to_string(n);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), ",");
  return digits;
}

/// The list a command reads: a CSV, streamed in chunks, or an Excel workbook, held whole (a ZIP's
/// directory is at its end) and its sheet read as CSV text.
class ListInput {
 public:
  ListInput(std::string path, std::string sheet) : path_(std::move(path)), sheet_(std::move(sheet)) {
    file_ = std::make_unique<File>(path_, false);
    first_.resize(kChunkBytes);
    first_.resize(std::fread(first_.data(), 1, first_.size(), file_->handle));
    if (!looks_like_zip(first_)) return;
    archive_ = std::move(first_);
    first_.clear();
    struct stat info {};
    if (fstat(fileno(file_->handle), &info) == 0 && info.st_size > 0)
      archive_.reserve(static_cast<std::size_t>(info.st_size));
    std::vector<char> buffer(kChunkBytes);
    while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), file_->handle))
      archive_.append(buffer.data(), n);
    if (std::ferror(file_->handle)) throw Failure{kExitInput, "cannot read " + path_};
    file_.reset();
  }

  const std::string& path() const { return path_; }
  bool is_workbook() const { return !archive_.empty(); }
  /// The workbook's facts, once its sheet was read.
  const std::optional<WorkbookFacts>& workbook() const { return facts_; }

  /// A workbook's CSV text has a known format: nothing is sniffed.
  void adapt(CsvOptions& csv) const {
    if (is_workbook()) csv = WorkbookReader::csv_options();
  }

  /// Hands the list's text to `feed` in chunks; fatal problems become a Failure. A file is read
  /// again from its start by a second call; standard input only once.
  void each_chunk(const std::function<Status(std::string_view)>& feed) {
    auto check = [&](const Status& status) {
      if (!status.ok()) throw Failure{kExitInput, path_ + ": " + status.error().to_string()};
    };
    if (is_workbook()) {
      WorkbookOptions options;
      options.sheet = sheet_;
      WorkbookReader reader(options);
      check(read_workbook(archive_, reader, zlib_inflate, feed));
      facts_ = reader.facts();
      return;
    }
    if (!sheet_.empty()) throw Failure{kExitUsage, "--sheet is for a workbook, and " + path_ + " is not one"};
    if (!file_) {
      if (path_ == "-") throw Failure{kExitUsage, "standard input can be read only once; give the list as a file"};
      file_ = std::make_unique<File>(path_, false);
    } else if (!first_.empty()) {
      check(feed(first_));
    }
    std::vector<char> buffer(kChunkBytes);
    while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), file_->handle)) check(feed({buffer.data(), n}));
    if (std::ferror(file_->handle)) throw Failure{kExitInput, "cannot read " + path_};
    file_.reset();
  }

  /// The whole text of the list.
  std::string text() {
    std::string all;
    each_chunk([&](std::string_view chunk) -> Status {
      all.append(chunk);
      return Ok{};
    });
    return all;
  }

 private:
  std::string path_;
  std::string sheet_;
  std::unique_ptr<File> file_;
  std::string first_;    // a CSV's first chunk, read to tell it from a workbook
  std::string archive_;  // a workbook, whole
  std::optional<WorkbookFacts> facts_;
};

/// Streams the list through `session`; fatal input problems become a Failure.
void stream_file(ListInput& input, ScoringSession& session, ScoredRowSink& sink) {
  input.each_chunk([&](std::string_view bytes) { return session.feed(bytes, sink); });
  Status status = session.finish(sink);
  if (!status.ok()) throw Failure{kExitInput, input.path() + ": " + status.error().to_string()};
}

/// Prints row issues to stderr as they come (the first ones; the summary counts them all).
class IssuePrinter final : public ScoredRowSink {
 public:
  IssuePrinter(ScoredRowSink* next, bool quiet) : next_(next), quiet_(quiet) {}
  void on_header(const CsvRecord& header, const Scorer& scorer) override {
    if (next_) next_->on_header(header, scorer);
  }
  void on_row(const CsvRecord& row, const ScoreResult& result, Scorer& scorer) override {
    if (next_) next_->on_row(row, result, scorer);
  }
  void on_issue(const Error& issue) override {
    if (!quiet_ && ++printed_ <= kMaxPrinted) std::fprintf(stderr, "leadscore: %s\n", issue.to_string().c_str());
  }
  Scorer::Detail detail() const override { return next_ ? next_->detail() : Scorer::Detail::Full; }
  std::int64_t printed() const { return printed_; }
  static constexpr std::int64_t kMaxPrinted = 20;

 private:
  ScoredRowSink* next_;
  bool quiet_;
  std::int64_t printed_ = 0;
};

/// True when both paths name one existing file (so writing one would destroy the other).
bool same_file(const std::string& a, const std::string& b) {
  if (a == "-" || b == "-") return false;
  struct stat sa {
  }, sb{};
  return stat(a.c_str(), &sa) == 0 && stat(b.c_str(), &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

SessionOptions session_options(const Options& o, const ListInput& input) {
  SessionOptions s;
  s.csv.delimiter = o.delimiter;
  input.adapt(s.csv);
  s.as_of = o.as_of;
  s.mapping_overrides = o.mapping;
  return s;
}

void check_mapping_overrides(const Options& o, const ScoringSession& session) {
  for (const auto& [field, header] : o.mapping) {
    if (!header.empty() && session.mapping().column_of("column:" + header) < 0) {
      throw Failure{kExitUsage, "--map " + field + "=" + header + ": the list has no column \"" + header + "\""};
    }
  }
}

int cmd_score(const Options& o) {
  if (o.positional.size() != 1) throw Failure{kExitUsage, "score takes one INPUT.csv (or -)"};
  const std::string& input = o.positional[0];
  for (const std::string* path : {&o.output, &o.summary_path}) {
    if (!path->empty() && same_file(input, *path)) {
      throw Failure{kExitUsage, "writing " + *path + " would overwrite the list being scored; choose another file"};
    }
  }
  const auto started = std::chrono::steady_clock::now();
  ListInput list(input, o.sheet);
  ScoringSession session(load_model(o.model_path), session_options(o, list));

  std::unique_ptr<File> out = std::make_unique<File>(o.output.empty() ? "-" : o.output, true);
  bool write_failed = false;
  CsvWriterOptions writer_options;
  writer_options.neutralize_formulas = o.neutralize;
  writer_options.byte_order_mark = o.bom;
  ScoredCsvWriter writer(
      [&](std::string_view part) {
        if (std::fwrite(part.data(), 1, part.size(), out->handle) != part.size()) write_failed = true;
      },
      writer_options);
  IssuePrinter printer(&writer, o.quiet);
  try {
    stream_file(list, session, printer);
  } catch (const Failure&) {
    // A list refused part way (a workbook found to be a ZIP bomb) leaves no half-written file.
    out.reset();
    if (!o.output.empty() && o.output != "-") std::remove(o.output.c_str());
    throw;
  }
  writer.flush();
  check_mapping_overrides(o, session);
  if (std::fflush(out->handle) != 0 || write_failed) throw Failure{kExitInput, "cannot write the scored CSV"};
  out.reset();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  nlohmann::ordered_json summary = session.summary_json();
  if (list.workbook()) summary["workbook"] = workbook_json(*list.workbook());
  if (!o.summary_path.empty()) {
    File file(o.summary_path, true);
    const std::string text = summary.dump(2) + "\n";
    std::fwrite(text.data(), 1, text.size(), file.handle);
  }
  if (o.quiet) return 0;
  const Summary& s = session.summary();
  if (printer.printed() > IssuePrinter::kMaxPrinted) {
    std::fprintf(stderr, "leadscore: ... %s more row issues (all are listed by --summary)\n",
                 with_commas(printer.printed() - IssuePrinter::kMaxPrinted).c_str());
  }
  const CsvFormat& f = session.format();
  if (list.workbook()) {
    std::fprintf(stderr, "Scored %s leads from %s in %.2f s\n  %s\n", with_commas(s.rows()).c_str(), input.c_str(),
                 seconds, summary["workbook"]["note"].get<std::string>().c_str());
  } else {
    std::fprintf(stderr, "Scored %s leads from %s (%s, delimiter '%s') in %.2f s\n", with_commas(s.rows()).c_str(),
                 input.c_str(), encoding_name(f.encoding),
                 f.delimiter == '\t' ? "\\t" : std::string(1, f.delimiter).c_str(), seconds);
  }
  if (f.encoding == TextEncoding::Windows1252) {
    std::fprintf(stderr, "  the file is not UTF-8: it was read as Windows-1252 and written out as UTF-8\n");
  } else if (f.invalid_utf8_bytes > 0) {
    std::fprintf(stderr, "  %s bytes that were not valid UTF-8 were read as Windows-1252\n",
                 with_commas(f.invalid_utf8_bytes).c_str());
  }
  for (Temperature t : {Temperature::Hot, Temperature::Warm, Temperature::Cold}) {
    const double share = s.rows() ? 100.0 * s.count(t) / s.rows() : 0;
    std::fprintf(stderr, "  %-5s %10s  %5.1f%%\n", temperature_name(t), with_commas(s.count(t)).c_str(), share);
  }
  if (const Scorer* scorer = session.scorer()) {
    std::fprintf(stderr, "Model \"%s\", as of %s\n", session.model().name.c_str(),
                 format_date(scorer->as_of()).c_str());
    for (Axis axis : {Axis::Fit, Axis::Engagement}) {
      if (!scorer->axis_template(axis).measured) {
        std::fprintf(stderr, "  %s is not measured: the list has none of its columns\n", axis_name(axis));
      }
    }
    if (!scorer->absent_fields().empty()) {
      std::string fields;
      for (const auto& field : scorer->absent_fields()) fields += (fields.empty() ? "" : ", ") + field;
      std::fprintf(stderr, "  fields the model uses that the list lacks: %s\n", fields.c_str());
    }
  }
  if (s.issue_count() > 0) std::fprintf(stderr, "Row issues: %s (rows kept)\n", with_commas(s.issue_count()).c_str());
  return 0;
}

/// Collects the mapping without writing anything.
class NullSink final : public ScoredRowSink {
 public:
  void on_header(const CsvRecord&, const Scorer&) override {}
  void on_row(const CsvRecord&, const ScoreResult&, Scorer&) override {}
};

int cmd_columns(const Options& o) {
  if (o.positional.size() != 1) throw Failure{kExitUsage, "columns takes one INPUT.csv (or -)"};
  ListInput list(o.positional[0], o.sheet);
  ScoringSession session(load_model(o.model_path), session_options(o, list));
  NullSink sink;
  stream_file(list, session, sink);
  check_mapping_overrides(o, session);
  const ColumnMapping& m = session.mapping();
  if (o.json) {
    nlohmann::ordered_json j = mapping_json(m);
    if (session.scorer()) j["absent_fields"] = session.scorer()->absent_fields();
    std::printf("%s\n", j.dump(2).c_str());
    return 0;
  }
  std::printf("%-4s %-40s %s\n", "#", "column", "lead field");
  for (std::size_t i = 0; i < m.headers().size(); ++i) {
    const auto field = m.field_of(i);
    std::printf("%-4zu %-40s %s\n", i + 1, m.headers()[i].c_str(), field.empty() ? "-" : std::string(field).c_str());
  }
  for (const auto& note : m.notes()) std::printf("note: %s\n", note.c_str());
  if (session.scorer() && !session.scorer()->absent_fields().empty()) {
    std::string fields;
    for (const auto& field : session.scorer()->absent_fields()) fields += (fields.empty() ? "" : ", ") + field;
    std::printf("fields the model uses that the list lacks: %s\n", fields.c_str());
  }
  return 0;
}

/// Keeps the explanation of one data row.
class RowExplainer final : public ScoredRowSink {
 public:
  explicit RowExplainer(std::int64_t wanted) : wanted_(wanted) {}
  void on_header(const CsvRecord& header, const Scorer&) override { header_ = header; }
  void on_row(const CsvRecord& row, const ScoreResult& result, Scorer& scorer) override {
    if (++seen_ != wanted_) return;
    explanation_ = explain_lead(scorer, result, header_, row);
    explanation_["row"] = wanted_;
  }
  const nlohmann::ordered_json& explanation() const { return explanation_; }
  std::int64_t rows() const { return seen_; }

 private:
  std::int64_t wanted_;
  std::int64_t seen_ = 0;
  CsvRecord header_;
  nlohmann::ordered_json explanation_;
};

int cmd_explain(const Options& o) {
  if (o.positional.size() != 1 || o.row < 1) throw Failure{kExitUsage, "explain takes one INPUT.csv and --row N"};
  ListInput list(o.positional[0], o.sheet);
  ScoringSession session(load_model(o.model_path), session_options(o, list));
  RowExplainer explainer(o.row);
  stream_file(list, session, explainer);
  if (explainer.explanation().is_null()) {
    throw Failure{kExitUsage, "the list has " + with_commas(explainer.rows()) + " data rows; there is no row " +
                                  std::to_string(o.row)};
  }
  std::printf("%s\n", explainer.explanation().dump(2).c_str());
  return 0;
}

/// One model's back-test of the list: a pass over the file.
std::unique_ptr<BacktestSink> backtest_file(const Options& o, ListInput& list, const std::string& model_path) {
  const std::string& path = list.path();
  ScoringSession session(load_model(model_path), session_options(o, list));
  auto sink = std::make_unique<BacktestSink>(o.outcome);
  stream_file(list, session, *sink);
  check_mapping_overrides(o, session);
  if (!sink->outcome()) {
    throw Failure{kExitInput,
                  o.outcome.empty()
                      ? path +
                            " has no outcome column (Converted, IsConverted, Closed Won, Deal Stage, Lead Status, "
                            "Lifecycle Stage...): name it with --outcome COLUMN"
                      : path + " has no column \"" + o.outcome + "\""};
  }
  if (sink->backtest().leads() == 0) {
    throw Failure{kExitInput, "no lead in " + path + " has a known outcome in \"" + sink->outcome()->header + "\""};
  }
  return sink;
}

std::string percent(const nlohmann::ordered_json& share) {
  if (share.is_null()) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f%%", share.get<double>() * 100);
  return text;
}

void print_backtest(const std::string& model_name, const nlohmann::ordered_json& r, const OutcomeColumn& outcome) {
  std::printf("Back-test of \"%s\": %s leads with an outcome in \"%s\" (%s without), %s converted\n",
              model_name.c_str(), with_commas(r["leads"].get<std::int64_t>()).c_str(), outcome.header.c_str(),
              with_commas(r["unknown"].get<std::int64_t>()).c_str(), percent(r["rate"]).c_str());
  for (const char* t : {"hot", "warm", "cold"}) {
    const auto& g = r["by_temperature"][t];
    std::printf("  %-5s %10s leads  %7s converted\n", t, with_commas(g["leads"].get<std::int64_t>()).c_str(),
                percent(g["rate"]).c_str());
  }
  const auto& lift = r["lift_hot_over_cold"];
  const auto& auc = r["auc"];
  std::printf("  lift of hot over cold: %s   AUC: %s   hot leads: precision %s, recall %s\n",
              lift.is_null() ? "-" : (std::to_string(lift.get<double>()).substr(0, 4) + "x").c_str(),
              auc.is_null() ? "-" : std::to_string(auc.get<double>()).substr(0, 5).c_str(),
              percent(r["hot"]["precision"]).c_str(), percent(r["hot"]["recall"]).c_str());
  std::printf("  conversion by score decile (best first):");
  for (const auto& d : r["deciles"]) std::printf(" %s", percent(d["rate"]).c_str());
  std::printf("\n  rules (leads fired on, their conversion):\n");
  for (const auto& rule : r["rules"]) {
    std::printf("    %-44s %10s  %7s\n", rule["label"].get<std::string>().substr(0, 44).c_str(),
                with_commas(rule["fired"].get<std::int64_t>()).c_str(), percent(rule["rate"]).c_str());
  }
}

int cmd_backtest(const Options& o) {
  if (o.positional.size() != 1) throw Failure{kExitUsage, "backtest takes one INPUT.csv"};
  const auto name_of = [](const std::string& path) { return load_model(path).name; };
  ListInput list(o.positional[0], o.sheet);
  const auto first = backtest_file(o, list, o.model_path);
  nlohmann::ordered_json out{
      {"model", name_of(o.model_path)},
      {"outcome", {{"column", first->outcome()->header}, {"kind", outcome_kind_name(first->outcome()->kind)}}},
      {"report", first->backtest().report()}};
  std::unique_ptr<BacktestSink> second;
  if (!o.compare_path.empty()) {
    second = backtest_file(o, list, o.compare_path);
    out["compare"] = {{"model", name_of(o.compare_path)},
                      {"report", second->backtest().report()},
                      {"changes", compare_temperatures(first->leads(), second->leads())}};
  }
  if (o.json) {
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
  }
  print_backtest(out["model"], out["report"], *first->outcome());
  if (second) {
    std::printf("\n");
    print_backtest(out["compare"]["model"], out["compare"]["report"], *second->outcome());
    const auto& changes = out["compare"]["changes"];
    std::printf("\n%s leads change temperature:", with_commas(changes["changed"].get<std::int64_t>()).c_str());
    for (const auto& [move, n] : changes["transitions"].items())
      std::printf(" %s %s", move.c_str(), with_commas(n.get<std::int64_t>()).c_str());
    std::printf("\n");
  }
  return 0;
}

int cmd_train(const Options& o) {
  if (o.positional.size() != 1) throw Failure{kExitUsage, "train takes one INPUT.csv"};
  LearnOptions options;
  options.outcome = o.outcome;
  options.keep = o.keep;
  options.folds = static_cast<int>(o.folds);
  options.seed = o.seed;
  options.balance = o.balance;
  options.hot_share = o.hot_share;
  options.hot_rate = o.hot_rate;
  options.warm_share = std::min(0.3, 1 - o.hot_share);
  options.as_of = o.as_of ? *o.as_of : today_days();
  ListInput list(o.positional[0], o.sheet);
  list.adapt(options.csv);
  auto learned = learn_model(list.text(), options);
  if (!learned.ok()) throw Failure{kExitInput, o.positional[0] + ": " + learned.error().to_string()};
  const auto& result = learned.value();
  {
    File out(o.output.empty() ? "-" : o.output, true);
    const std::string text = result["model"].dump(2) + "\n";
    if (std::fwrite(text.data(), 1, text.size(), out.handle) != text.size())
      throw Failure{kExitInput, "cannot write the model"};
  }
  if (!o.report_path.empty()) {
    File out(o.report_path, true);
    const std::string text = result["report"].dump(2) + "\n";
    if (std::fwrite(text.data(), 1, text.size(), out.handle) != text.size())
      throw Failure{kExitInput, "cannot write the report"};
  }
  if (!o.quiet) {
    const auto& r = result["report"];
    const auto& cv = r["cv"];
    std::fprintf(
        stderr, "Learned from %s leads (%s converted, %s without an outcome) in %.2f s (the final fit: %.2f s)\n",
        with_commas(r["rows"].get<std::int64_t>()).c_str(), with_commas(r["converted"].get<std::int64_t>()).c_str(),
        with_commas(r["unknown"].get<std::int64_t>()).c_str(), r["seconds"].get<double>(),
        r["fit_seconds"].get<double>());
    std::fprintf(stderr, "  %d-fold cross-validated AUC: %.3f (regression), %.3f (points model)\n",
                 r["folds"].get<int>(), cv["auc"].is_null() ? 0.0 : cv["auc"].get<double>(),
                 cv["auc_points"].is_null() ? 0.0 : cv["auc_points"].get<double>());
    for (const char* t : {"hot", "warm", "cold"}) {
      const auto& g = cv["by_temperature"][t];
      std::fprintf(stderr, "  %-5s %8s leads  %s converted\n", t, with_commas(g["leads"].get<std::int64_t>()).c_str(),
                   percent(g["rate"]).c_str());
    }
    for (const auto& flagged : r["leakage"]) {
      std::fprintf(stderr, "  %s \"%s\": filled after contact (--keep to use it)\n",
                   flagged["kept"].get<bool>() ? "kept" : "left out", flagged["header"].get<std::string>().c_str());
    }
  }
  return 0;
}

int cmd_sample(const Options& o) {
  if (!o.positional.empty()) throw Failure{kExitUsage, "sample takes no file; use -o OUT.csv"};
  SampleOptions options;
  options.rows = static_cast<std::size_t>(o.rows);
  options.seed = o.seed;
  options.as_of = o.as_of ? *o.as_of : today_days();
  options.truth_column = o.truth;
  options.free_text = o.free_text;
  File out(o.output.empty() ? "-" : o.output, true);
  bool failed = false;
  generate_sample(options, [&](std::string_view part) {
    failed = failed || std::fwrite(part.data(), 1, part.size(), out.handle) != part.size();
  });
  if (failed || std::fflush(out.handle) != 0) throw Failure{kExitInput, "cannot write the sample list"};
  return 0;
}

int cmd_check_model(const Options& o) {
  if (o.positional.size() != 1) throw Failure{kExitUsage, "check-model takes one MODEL.json (or -)"};
  const std::string text = read_all(o.positional[0]);
  const auto errors = check_model(text);
  if (errors.empty()) {
    const ScoringModel model = parse_model(text).value();
    std::printf("ok: \"%s\": %zu fit rules, %zu engagement rules, %zu disqualifiers\n", model.name.c_str(),
                model.fit.rules.size(), model.engagement.rules.size(), model.disqualifiers.size());
    return 0;
  }
  for (const auto& e : errors) std::fprintf(stderr, "%s: %s\n", o.positional[0].c_str(), e.to_string().c_str());
  return kExitInput;
}

/// The SQL options of `sql` and `dbt`.
SqlOptions sql_options(const Options& o, const char* command) {
  if (!o.positional.empty())
    throw Failure{kExitUsage, std::string(command) + " takes no INPUT; give --model, --dialect and --table"};
  std::string dialects;
  for (SqlDialect d : sql_dialects()) dialects += (dialects.empty() ? "" : ", ") + std::string(sql_dialect_name(d));
  const auto dialect = sql_dialect_named(o.dialect);
  if (!dialect)
    throw Failure{kExitUsage,
                  "--dialect takes one of " + dialects + (o.dialect.empty() ? "" : ", not \"" + o.dialect + "\"")};
  SqlOptions options;
  options.dialect = *dialect;
  options.table = o.table;
  options.keys = o.keys;
  options.as_of = o.as_of;
  if (!o.columns_path.empty()) {
    auto columns = parse_sql_columns(read_all(o.columns_path));
    if (!columns) throw Failure{kExitInput, o.columns_path + ": " + columns.error().to_string()};
    options.columns = std::move(columns.value());
  }
  for (const auto& [field, header] : o.mapping) options.columns[field] = header;
  if (!o.types_path.empty()) {
    auto types = parse_sql_types(read_all(o.types_path));
    if (!types) throw Failure{kExitInput, o.types_path + ": " + types.error().to_string()};
    options.types = std::move(types.value());
  }
  return options;
}

Failure sql_failure(const Error& e) {
  return Failure{e.code == ErrorCode::SqlUnsupported ? kExitInput : kExitUsage, e.to_string()};
}

int cmd_sql(const Options& o) {
  const auto sql = compile_sql(load_model(o.model_path), sql_options(o, "sql"));
  if (!sql) throw sql_failure(sql.error());
  File out(o.output.empty() ? "-" : o.output, true);
  std::fputs(sql.value().c_str(), out.handle);
  return 0;
}

int cmd_dbt(const Options& o) {
  if (o.output.empty() || o.output == "-")
    throw Failure{kExitUsage, "dbt writes a project: give its folder with -o DIR"};
  const auto files = dbt_project(load_model(o.model_path), sql_options(o, "dbt"));
  if (!files) throw sql_failure(files.error());
  for (const DbtFile& file : files.value()) {
    const std::filesystem::path path = std::filesystem::path(o.output) / file.path;
    std::error_code error;
    std::filesystem::create_directories(path.parent_path(), error);
    if (error) throw Failure{kExitInput, "cannot create " + path.parent_path().string() + ": " + error.message()};
    File out(path.string(), true);
    std::fputs(file.text.c_str(), out.handle);
  }
  std::fprintf(stderr, "wrote a dbt project to %s: dbt run builds lead_scores, dbt test checks it\n", o.output.c_str());
  return 0;
}

int run(int argc, char** argv) {
  const Options o = parse_args(argc, argv);
  if (o.command == "score") return cmd_score(o);
  if (o.command == "columns") return cmd_columns(o);
  if (o.command == "explain") return cmd_explain(o);
  if (o.command == "sample") return cmd_sample(o);
  if (o.command == "check-model") return cmd_check_model(o);
  if (o.command == "backtest") return cmd_backtest(o);
  if (o.command == "train") return cmd_train(o);
  if (o.command == "sql") return cmd_sql(o);
  if (o.command == "dbt") return cmd_dbt(o);
  if (o.command == "default-model") {
    std::fputs(default_model_json().c_str(), stdout);
    return 0;
  }
  if (o.command == "help" || o.command == "--help" || o.command == "-h") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (o.command == "--version") {
    std::printf("leadscore %s\n", kVersion);
    return 0;
  }
  throw Failure{kExitUsage, "unknown command \"" + o.command + "\""};
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const Failure& f) {
    std::fprintf(stderr, "leadscore: %s\n", f.message.c_str());
    if (f.exit_code == kExitUsage) std::fputs(kUsage, stderr);
    return f.exit_code;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "leadscore: internal error: %s\n", e.what());
    return kExitInput;
  }
}
