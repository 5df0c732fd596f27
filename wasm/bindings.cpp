// The only EMBIND block: thin, mechanical adapters from JavaScript types (Uint8Array, JSON text,
// callbacks) to the core and back. No scoring logic lives here. Every function returns the JSON
// text of {"ok", "value" | "error"} (see boundary.hpp); wasm/js/index.mjs turns errors into
// LeadScorerError. Names are snake_case: only index.mjs sees them.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <malloc.h>

#include <memory>
#include <string>

#include "boundary.hpp"
#include "leadscore/leadscore.hpp"

namespace leadscore::wasm {
namespace {

using emscripten::val;

/// Copies a JS Uint8Array into wasm memory with one TypedArray.set().
/// Appends a Uint8Array's bytes to `out` (one copy, straight into wasm memory).
void append_bytes_from_js(const val& u8, std::string& out) {
  const auto n = u8["length"].as<std::size_t>();
  const std::size_t at = out.size();
  out.resize(at + n);
  val(emscripten::typed_memory_view(n, reinterpret_cast<unsigned char*>(out.data() + at))).call<void>("set", u8);
}

/// A Uint8Array copy of `bytes` (its own buffer: it outlives the wasm memory it came from).
val bytes_to_js(std::string_view bytes) {
  const auto view = emscripten::typed_memory_view(bytes.size(), reinterpret_cast<const unsigned char*>(bytes.data()));
  return val::global("Uint8Array").new_(view);
}

std::string bytes_from_js(const val& u8) {
  std::string bytes;
  append_bytes_from_js(u8, bytes);
  return bytes;
}

/// The file a list was read from, read again through a JS function (offset, length) -> Uint8Array,
/// or null when it cannot be read.
class JsByteSource final : public ByteSource {
 public:
  explicit JsByteSource(val read) : read_(std::move(read)) {}
  Status read(std::uint64_t offset, std::size_t length, std::string& out) override {
    const val bytes = read_(static_cast<double>(offset), static_cast<double>(length));
    if (bytes.isNull() || bytes.isUndefined()) return Error{ErrorCode::IoError, "the file could not be read again"};
    append_bytes_from_js(bytes, out);
    return Ok{};
  }

 private:
  val read_;
};

ScoringModel model_from(const std::string& text) {
  if (text.empty()) return default_model();
  return unwrap(parse_model(text));
}

std::int32_t date_from(const Json& j, const char* key) {
  const std::string text = j.at(key).get<std::string>();
  const auto days = parse_date(text);
  if (!days)
    fail(ErrorCode::InvalidArgument, std::string(key) + ": expected a date like 2025-03-14, not \"" + text + "\"");
  return *days;
}

SessionOptions options_from(const std::string& text) {
  SessionOptions options;
  const Json j = text.empty() ? Json::object() : Json::parse(text);
  if (j.contains("asOf")) options.as_of = date_from(j, "asOf");
  if (j.contains("delimiter")) {
    const std::string d = j.at("delimiter").get<std::string>();
    if (d.size() != 1) fail(ErrorCode::InvalidArgument, "delimiter: expected one character");
    options.csv.delimiter = d[0];
  }
  if (j.contains("mapping")) options.mapping_overrides = j.at("mapping").get<std::map<std::string, std::string>>();
  // A workbook's sheet, read as CSV text (workbook.mjs): its format is known, nothing is sniffed.
  if (j.value("workbookText", false)) options.csv = WorkbookReader::csv_options();
  return options;
}

/// The list's `expectedBytes` option: the whole input's size, when known (0: unknown).
std::uint64_t expected_bytes_from(const std::string& text) {
  const Json j = text.empty() ? Json::object() : Json::parse(text);
  const double bytes = j.value("expectedBytes", 0.0);
  if (!(bytes >= 0)) fail(ErrorCode::InvalidArgument, "expectedBytes: expected a size in bytes");
  return static_cast<std::uint64_t>(bytes);
}

ListQuery query_from(const std::string& text) {
  const Json j = text.empty() ? Json::object() : Json::parse(text);
  ListQuery q;
  const std::string sort = j.value("sort", std::string("row"));
  static const std::pair<const char*, ListQuery::Sort> kSorts[] = {{"row", ListQuery::Sort::Row},
                                                                   {"score", ListQuery::Sort::Score},
                                                                   {"fit", ListQuery::Sort::Fit},
                                                                   {"engagement", ListQuery::Sort::Engagement},
                                                                   {"temperature", ListQuery::Sort::Temperature},
                                                                   {"column", ListQuery::Sort::Column},
                                                                   {"priority", ListQuery::Sort::Priority}};
  bool known = false;
  for (const auto& [name, value] : kSorts) {
    if (sort == name) {
      q.sort = value;
      known = true;
    }
  }
  if (!known)
    fail(ErrorCode::InvalidArgument, "sort: expected row, score, fit, engagement, temperature, column or priority");
  q.column = j.value("column", std::size_t{0});
  q.descending = j.value("descending", false);
  if (j.contains("temperatures")) {
    q.temperatures = 0;
    for (const auto& t : j.at("temperatures")) {
      const std::string name = t.get<std::string>();
      bool found = false;
      for (Temperature temperature : {Temperature::Cold, Temperature::Warm, Temperature::Hot}) {
        if (name == temperature_name(temperature)) {
          q.temperatures |= 1u << static_cast<unsigned>(temperature);
          found = true;
        }
      }
      if (!found) fail(ErrorCode::InvalidArgument, "temperatures: expected cold, warm or hot, not \"" + name + "\"");
    }
  }
  q.search = j.value("search", std::string());
  q.moved = j.value("moved", false);
  q.offset = j.value("offset", std::size_t{0});
  q.limit = std::min<std::size_t>(j.value("limit", std::size_t{100}), 10000);
  return q;
}

/// {neutralizeFormulas, byteOrderMark} as the CSV writer's options.
CsvWriterOptions writer_options_from(const Json& j) {
  CsvWriterOptions options;
  options.neutralize_formulas = j.value("neutralizeFormulas", false);
  options.byte_order_mark = j.value("byteOrderMark", false);
  return options;
}

/// How a list uses a browser: the first batch small, so that the engine has optimized the batch
/// code before a large batch runs it (a call that starts in baseline code ends in it).
ListTuning wasm_tuning() {
  ListTuning tuning;
  tuning.first_batch_rows = std::size_t{1} << 12;
  return tuning;
}

/// One list for JavaScript: read it in chunks, then query, explain, re-score, export. While it is
/// read a ListReader has it, then the ScoredList the reader hands over.
class List {
 public:
  /// `read_source`: null, or (offset, length) -> Uint8Array over the bytes that will be fed, so the
  /// list keeps none of them.
  std::string start(const std::string& model_json, const std::string& options_json, const val& read_source) {
    return guard([&] {
      std::shared_ptr<ByteSource> source;
      if (!read_source.isNull() && !read_source.isUndefined()) source = std::make_shared<JsByteSource>(read_source);
      reader_ = std::make_unique<ListReader>(model_from(model_json), options_from(options_json), std::move(source),
                                             wasm_tuning());
      model_json_ = model_json;
      reader_->expect_bytes(expected_bytes_from(options_json));
      return Json::object();
    });
  }

  std::string feed(const val& chunk) {
    return guard([&] {
      check(reader().feed(bytes_from_js(chunk)));
      return progress();
    });
  }

  std::string finish() {
    return guard([&] {
      list_ = unwrap(reader().finish());
      reader_.reset();
      return list_->summary_json();
    });
  }

  std::string summary() {
    return guard([&] { return list_ ? list_->summary_json() : reader().summary_json(); });
  }

  std::string query(const std::string& request) {
    return guard([&] {
      const ListQuery query = query_from(request);
      return list_ ? page_json(*list_, unwrap(list_->query(query)))
                   : page_json(reader(), unwrap(reader().query(query)));
    });
  }

  std::string explain(double row) {
    return guard([&] {
      if (row < 0 || row >= static_cast<double>(finished().size())) {
        fail(ErrorCode::InvalidArgument, "no row " + std::to_string(static_cast<long long>(row)));
      }
      return unwrap(finished().explain(static_cast<std::size_t>(row)));
    });
  }

  std::string rescore(const std::string& model_json) {
    return guard([&] {
      const std::size_t changed = unwrap(finished().rescore(model_from(model_json)));
      model_json_ = model_json;
      return changes(changed);
    });
  }

  std::string remap(const std::string& mapping_json) {
    return guard([&] {
      const auto overrides = Json::parse(mapping_json).get<std::map<std::string, std::string>>();
      return changes(unwrap(finished().remap(overrides)));
    });
  }

  /// Hands the scored CSV (rows [fromRow, toRow) when given) to `on_part` as Uint8Array copies
  /// (Blob parts), part by part; `on_progress(rows, of)`, when a function, now and then.
  std::string export_csv(const std::string& options_json, const val& on_part, const val& on_progress) {
    return guard([&] {
      const Json j = options_json.empty() ? Json::object() : Json::parse(options_json);
      const auto first = j.value("fromRow", std::size_t{0});
      const auto end = j.value("toRow", static_cast<std::size_t>(-1));
      ScoredList& list = finished();
      check(list.export_csv(
          [&](std::string_view part) { on_part(bytes_to_js(part)); }, writer_options_from(j),
          on_progress.isNull() || on_progress.isUndefined()
              ? std::function<void(std::size_t)>()
              : [&](std::size_t rows) { on_progress(static_cast<double>(rows), static_cast<double>(list.size())); },
          first, end));
      return Json::object();
    });
  }

  /// How other workers can each write a part of the export at once (ExportPlan as JSON, with the
  /// model the list scores with now), or null: from each of `cuts_json`'s offsets on.
  std::string export_plan(const std::string& cuts_json) {
    return guard([&] {
      auto plan = finished().export_plan(Json::parse(cuts_json).get<std::vector<std::uint64_t>>());
      if (!plan) return Json(nullptr);
      plan->model = model_json_;
      return export_plan_json(*plan);
    });
  }

  std::string memory() {
    return guard([&] { return Json{{"listBytes", finished().memory_bytes()}}; });
  }

 private:
  ListReader& reader() {
    if (!reader_) fail(ErrorCode::InvalidArgument, list_ ? "the list is already read" : "start a list first");
    return *reader_;
  }
  ScoredList& finished() {
    if (!list_) fail(ErrorCode::InvalidArgument, "the list is still being read; call finish() first");
    return *list_;
  }
  /// After a re-score: {changed, transitions: {"warm->hot": n, ...} (those made), summary}, named
  /// as a comparison of models names them (backtest.hpp).
  Json changes(std::size_t changed) {
    Json transitions = Json::object();
    const ScoredList::Moves counts = finished().moves();
    for (Temperature from : {Temperature::Cold, Temperature::Warm, Temperature::Hot}) {
      for (Temperature to : {Temperature::Cold, Temperature::Warm, Temperature::Hot}) {
        const std::size_t n = counts[static_cast<std::size_t>(from)][static_cast<std::size_t>(to)];
        if (n > 0) transitions[std::string(temperature_name(from)) + "->" + temperature_name(to)] = n;
      }
    }
    return Json{{"changed", changed}, {"transitions", std::move(transitions)}, {"summary", finished().summary_json()}};
  }

  /// {rows, bytes} read so far.
  Json progress() { return Json{{"rows", reader().size()}, {"bytes", reader().bytes_read()}}; }
  /// A page's leads: their figures and cells.
  template <class AnyList>
  static Json page_json(const AnyList& list, const ListPage& page) {
    Json rows = Json::array();
    CsvRecord cells;
    for (std::size_t index : page.rows) {
      const LeadFigures f = list.figures(index);
      check(list.cells(index, cells));
      Json values = Json::array();
      for (std::size_t c = 0; c < cells.size(); ++c) values.push_back(cells[c]);
      rows.push_back({{"row", index},
                      {"line", cells.line()},
                      {"score", round1(f.score)},
                      {"fit", round1(f.fit)},
                      {"engagement", round1(f.engagement)},
                      {"temperature", temperature_name(f.temperature)},
                      {"disqualified", f.disqualified},
                      {"cells", std::move(values)}});
      if (f.moved) rows.back()["was"] = temperature_name(f.before);
    }
    return Json{{"matches", page.matches}, {"rows", std::move(rows)}};
  }

  std::unique_ptr<ListReader> reader_;  // while the list is read
  std::unique_ptr<ScoredList> list_;    // once it is
  std::string model_json_;              // the model the list scores with now, as given ("": the default)
};

/// A part of a list's export written in this worker (ScoredCsvPart): start, feed the part's bytes
/// of the file, finish.
class CsvPart {
 public:
  /// `plan_json`: the list's export_plan; `on_part` gets the CSV.
  std::string start(const std::string& plan_json, const std::string& options_json, const val& on_part) {
    return guard([&] {
      const ExportPlan plan = unwrap(export_plan_from_json(plan_json));
      const Json options = options_json.empty() ? Json::object() : Json::parse(options_json);
      on_part_ = on_part;
      part_ = std::make_unique<ScoredCsvPart>(
          model_from(plan.model), plan, [this](std::string_view bytes) { on_part_(bytes_to_js(bytes)); },
          writer_options_from(options));
      return Json::object();
    });
  }
  std::string feed(const val& chunk) {
    return guard([&] {
      writer().feed(bytes_from_js(chunk));
      return Json{{"rows", writer().rows()}};
    });
  }
  std::string finish() {
    return guard([&] {
      writer().finish();
      return Json{{"rows", writer().rows()}};
    });
  }

 private:
  ScoredCsvPart& writer() {
    if (!part_) fail(ErrorCode::InvalidArgument, "start the part first");
    return *part_;
  }
  val on_part_ = val::undefined();
  std::unique_ptr<ScoredCsvPart> part_;
};

/// Where a record probably starts in `window` (bytes from the middle of a file): its offset, or -1.
std::string check_model_text(const std::string& model_json) {
  return guard([&] {
    Json errors = Json::array();
    for (const Error& e : check_model(model_json)) errors.push_back(error_json(e));
    return errors;
  });
}

/// SQL options from the API's: dialect, table, keys, columns ({field: column|null} or a summary's
/// mapping {columns: [...]}), asOf, types ({column: "number"|"date"|"timestamp"|"boolean"|"text"}).
SqlOptions sql_options_from(const std::string& options_json) {
  const Json j = Json::parse(options_json);
  SqlOptions options;
  const std::string dialect = j.value("dialect", std::string("postgres"));
  const auto named = sql_dialect_named(dialect);
  if (!named) fail(ErrorCode::InvalidArgument, "unknown SQL dialect \"" + dialect + "\"");
  options.dialect = *named;
  options.table = j.value("table", std::string("leads"));
  if (j.contains("keys")) options.keys = j["keys"].get<std::vector<std::string>>();
  if (j.contains("columns")) options.columns = unwrap(parse_sql_columns(j["columns"].dump()));
  if (j.contains("asOf")) options.as_of = date_from(j, "asOf");
  if (j.contains("types")) options.types = unwrap(parse_sql_types(j["types"].dump()));
  return options;
}

/// The model as one SQL SELECT for a warehouse (sql_export.hpp).
std::string model_sql(const std::string& model_json, const std::string& options_json) {
  return guard([&] { return unwrap(compile_sql(model_from(model_json), sql_options_from(options_json))); });
}

/// The model as a dbt project (dbt_project.hpp): [{path, text}].
std::string model_dbt(const std::string& model_json, const std::string& options_json) {
  return guard([&] {
    Json files = Json::array();
    for (const DbtFile& f : unwrap(dbt_project(model_from(model_json), sql_options_from(options_json))))
      files.push_back({{"path", f.path}, {"text", f.text}});
    return files;
  });
}

std::string score_lead(const std::string& model_json, const std::string& lead_json, const std::string& as_of) {
  return guard([&] {
    const Json lead = Json::parse(lead_json);
    if (!lead.is_object()) fail(ErrorCode::InvalidArgument, "a lead is an object of field -> value");
    std::vector<std::pair<std::string, std::string>> fields;
    for (const auto& item : lead.items()) {
      fields.emplace_back(item.key(), item.value().is_string() ? item.value().get<std::string>() : item.value().dump());
    }
    const ScoringModel model = model_from(model_json);
    SessionOptions options;
    if (!as_of.empty()) options.as_of = date_from(Json{{"asOf", as_of}}, "asOf");
    return explain_single_lead(model, fields, resolve_as_of(options, model));
  });
}

/// Learns a points model from a whole list's bytes: {model, report} (see learner.hpp);
/// `on_progress(step, steps)`, when a function, after each fold and the final fit.
std::string learn(const val& bytes, const std::string& options_json, const val& on_progress) {
  return guard([&] {
    const Json j = options_json.empty() ? Json::object() : Json::parse(options_json);
    LearnOptions options;
    options.outcome = j.value("outcome", std::string());
    options.keep = j.value("keep", std::vector<std::string>());
    options.folds = j.value("folds", 5);
    options.seed = j.value("seed", std::uint64_t{1});
    options.balance = j.value("balance", false);
    options.hot_share = j.value("hotShare", 0.2);
    options.warm_share = j.value("warmShare", 0.3);
    options.hot_rate = j.value("hotRate", 0.0);
    options.as_of = j.contains("asOf") ? date_from(j, "asOf") : today_days();
    options.csv = options_from(options_json).csv;
    if (!on_progress.isNull() && !on_progress.isUndefined()) {
      options.on_progress = [&](int step, int steps) { on_progress(step, steps); };
    }
    if (options.hot_share <= 0 || options.warm_share < 0 || options.hot_share + options.warm_share >= 1) {
      fail(ErrorCode::InvalidArgument, "hotShare and warmShare: shares above 0 that add up to less than 1");
    }
    return unwrap(learn_model(bytes_from_js(bytes), options));
  });
}

/// Back-tests a model on a whole list's bytes: {outcome: {column, kind}, report}; with a second
/// model (`compare_json`), also {compare: {report, changes}} (the leads that change temperature).
std::string backtest(const val& bytes, const std::string& model_json, const std::string& compare_json,
                     const std::string& options_json) {
  return guard([&] {
    const Json j = options_json.empty() ? Json::object() : Json::parse(options_json);
    const std::string list = bytes_from_js(bytes);
    const auto run = [&](const std::string& model) {
      ScoringSession session(model_from(model), options_from(options_json));
      auto sink = std::make_unique<BacktestSink>(j.value("outcome", std::string()));
      check(session.feed(list, *sink));
      check(session.finish(*sink));
      if (!sink->outcome()) fail(ErrorCode::InvalidArgument, "the list has no outcome column: name it with outcome");
      return sink;
    };
    const auto first = run(model_json);
    Json out{{"outcome", {{"column", first->outcome()->header}, {"kind", outcome_kind_name(first->outcome()->kind)}}},
             {"report", first->backtest().report()}};
    if (!compare_json.empty()) {
      const auto second = run(compare_json);
      out["compare"] = {{"report", second->backtest().report()},
                        {"changes", compare_temperatures(first->leads(), second->leads())}};
    }
    return out;
  });
}

Json part_json(const ZipEntry& part) {
  return {{"name", part.name},
          {"headerOffset", part.header_offset},
          {"compressedSize", part.compressed_size},
          {"method", part.method}};
}

/// A workbook's sheet read as CSV text (workbook.hpp): index.mjs reads the archive's bytes and
/// inflates its parts (workbook.mjs); this checks them and hands the CSV text to `on_text` in
/// pieces of about 1 MiB.
class Workbook {
 public:
  /// {sheet?: name or number, sheetsOnly?: bool}
  std::string start(const std::string& options_json) {
    return guard([&] {
      const Json j = options_json.empty() ? Json::object() : Json::parse(options_json);
      WorkbookOptions options;
      if (j.contains("sheet"))
        options.sheet =
            j.at("sheet").is_string() ? j.at("sheet").get<std::string>() : std::to_string(j.at("sheet").get<int>());
      options.sheets_only = j.value("sheetsOnly", false);
      reader_ = std::make_unique<WorkbookReader>(options);
      return Json::object();
    });
  }

  /// The directory's place, from the archive's last bytes: {offset, size}.
  std::string find_directory(const val& tail, double archive_size) {
    return guard([&] {
      const ZipDirectoryPlace place =
          unwrap(find_zip_directory(bytes_from_js(tail), static_cast<std::uint64_t>(archive_size)));
      return Json{{"offset", place.offset}, {"size", place.size}};
    });
  }

  std::string open(const val& directory) {
    return guard([&] {
      check(reader().open(unwrap(read_zip_directory(bytes_from_js(directory)))));
      return Json::object();
    });
  }

  /// The entry to inflate next, {name, headerOffset, compressedSize, method}, or null.
  std::string next_part() {
    return guard([&] {
      const ZipEntry* part = reader().next_part();
      return part ? part_json(*part) : Json();
    });
  }

  /// How far past its local header (the first 30 bytes given) an entry's data starts.
  std::string data_offset(const val& local_header) {
    return guard([&] { return unwrap(zip_data_offset(bytes_from_js(local_header))); });
  }

  /// `compressed_read`: the part's archive bytes inflated so far.
  std::string feed(const val& bytes, double compressed_read, const val& on_text) {
    return guard([&] {
      check(reader().feed(bytes_from_js(bytes), text_, static_cast<std::uint64_t>(compressed_read)));
      if (text_.size() >= kTextPiece) pass(on_text);
      return Json::object();
    });
  }

  std::string end_part(const val& on_text) {
    return guard([&] {
      check(reader().end_part(text_));
      if (!reader().next_part() || text_.size() >= kTextPiece) pass(on_text);
      return Json::object();
    });
  }

  std::string inflate_failed() { return error_text(inflate_failure()); }

  /// [{name, visible, worksheet}] once the workbook's parts were read.
  std::string sheets() {
    return guard([&] {
      Json out = Json::array();
      for (const SheetInfo& sheet : reader().sheets()) {
        Json entry;
        if (const ZipEntry* part = sheet.worksheet ? reader().entry(sheet.part) : nullptr) entry = part_json(*part);
        out.push_back(
            {{"name", sheet.name}, {"visible", sheet.visible}, {"worksheet", sheet.worksheet}, {"entry", entry}});
      }
      return out;
    });
  }

  std::string facts() {
    return guard([&] { return workbook_json(reader().facts()); });
  }

 private:
  static constexpr std::size_t kTextPiece = 1 << 20;
  WorkbookReader& reader() {
    if (!reader_) fail(ErrorCode::InvalidArgument, "the workbook was not started");
    return *reader_;
  }
  void pass(const val& on_text) {
    if (text_.empty()) return;
    on_text(bytes_to_js(text_));
    text_.clear();
  }
  std::unique_ptr<WorkbookReader> reader_;
  std::string text_;
};

/// The rows a worksheet's first bytes say it spans, or -1.
double sheet_rows(const val& xml_start) { return static_cast<double>(sheet_dimension_rows(bytes_from_js(xml_start))); }

/// A synthetic lead list (see sample_generator.hpp), handed to `on_part` as Uint8Array parts.
std::string sample_csv(const std::string& options_json, const val& on_part) {
  return guard([&] {
    const Json j = options_json.empty() ? Json::object() : Json::parse(options_json);
    SampleOptions options;
    options.rows = j.value("rows", std::size_t{10000});
    options.seed = j.value("seed", std::uint64_t{1});
    options.as_of = j.contains("asOf") ? date_from(j, "asOf") : today_days();
    options.truth_column = j.value("truth", false);
    if (options.rows > 10000000) fail(ErrorCode::InvalidArgument, "rows: at most 10,000,000");
    generate_sample(options, [&](std::string_view part) { on_part(bytes_to_js(part)); });
    return Json::object();
  });
}

std::string fields_text() {
  return guard([] {
    Json fields = Json::array();
    for (const FieldInfo& f : canonical_fields()) {
      fields.push_back({{"name", f.name},
                        {"label", f.label},
                        {"group", field_group_name(f.group)},
                        {"kind", value_kind_name(f.kind)}});
    }
    return fields;
  });
}

std::string default_model_text() { return default_model_json(); }
/// What a list aims to hold in this build: a base and a figure per lead (the page checks a file's
/// leads against the memory a tab has before reading it all).
std::string memory_budget_text() {
  return guard([] {
    const ListTuning tuning = wasm_tuning();
    return Json{{"baseBytes", tuning.memory_target_bytes}, {"bytesPerLead", tuning.memory_per_lead_bytes}};
  });
}
/// Bytes of wasm heap in use (allocated, not merely reserved): what a leak test watches.
double heap_in_use() { return static_cast<double>(mallinfo().uordblks); }
std::string version_text() { return kVersion; }

}  // namespace
}  // namespace leadscore::wasm

EMSCRIPTEN_BINDINGS(leadscore) {
  using namespace leadscore::wasm;
  emscripten::class_<List>("List")
      .constructor<>()
      .function("start", &List::start)
      .function("feed", &List::feed)
      .function("finish", &List::finish)
      .function("summary", &List::summary)
      .function("query", &List::query)
      .function("explain", &List::explain)
      .function("rescore", &List::rescore)
      .function("remap", &List::remap)
      .function("export_csv", &List::export_csv)
      .function("export_plan", &List::export_plan)
      .function("memory", &List::memory);
  emscripten::class_<CsvPart>("CsvPart")
      .constructor<>()
      .function("start", &CsvPart::start)
      .function("feed", &CsvPart::feed)
      .function("finish", &CsvPart::finish);
  emscripten::class_<Workbook>("Workbook")
      .constructor<>()
      .function("start", &Workbook::start)
      .function("find_directory", &Workbook::find_directory)
      .function("open", &Workbook::open)
      .function("next_part", &Workbook::next_part)
      .function("data_offset", &Workbook::data_offset)
      .function("feed", &Workbook::feed)
      .function("end_part", &Workbook::end_part)
      .function("inflate_failed", &Workbook::inflate_failed)
      .function("sheets", &Workbook::sheets)
      .function("facts", &Workbook::facts);
  emscripten::function("sheet_rows", &sheet_rows);
  emscripten::function("check_model", &check_model_text);
  emscripten::function("learn", &learn);
  emscripten::function("backtest", &backtest);
  emscripten::function("score_lead", &score_lead);
  emscripten::function("model_sql", &model_sql);
  emscripten::function("model_dbt", &model_dbt);
  emscripten::function("fields", &fields_text);
  emscripten::function("sample_csv", &sample_csv);
  emscripten::function("default_model", &default_model_text);
  emscripten::function("memory_budget", &memory_budget_text);
  emscripten::function("version", &version_text);
  emscripten::function("heap_in_use", &heap_in_use);
}
