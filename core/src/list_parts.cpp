#include "leadscore/list_parts.hpp"

#include <cstring>

#include <nlohmann/json.hpp>

#include "detail/csv_tokenizer.hpp"
#include "detail/packed_part.hpp"
#include "leadscore/scorer.hpp"

namespace leadscore {

namespace {

using Json = nlohmann::json;

/// A plan's JSON text read with `read`, which throws nlohmann's exceptions for a missing or
/// mistyped value: those become one InvalidArgument error.
template <class Plan, class Read>
Result<Plan> plan_from_json(std::string_view text, const char* what, Read&& read) {
  try {
    return read(Json::parse(text.begin(), text.end()));
  } catch (const Json::exception& e) {
    return Error{ErrorCode::InvalidArgument, std::string("not ") + what + ": " + e.what()};
  }
}

char delimiter_of(const Json& j) {
  const std::string d = j.at("delimiter").get<std::string>();
  if (d.size() != 1) throw Json::other_error::create(501, "delimiter: expected one character", &j);
  return d[0];
}

}  // namespace

nlohmann::ordered_json part_plan_json(const PartPlan& plan) {
  return nlohmann::ordered_json{{"prefixBytes", plan.prefix_bytes},
                                {"prefixLines", plan.prefix_lines},
                                {"asOfDays", plan.as_of},
                                {"delimiter", std::string(1, plan.delimiter)},
                                {"fields", plan.fields},
                                {"listBytes", plan.list_bytes}};
}

Result<PartPlan> part_plan_from_json(std::string_view json_text) {
  return plan_from_json<PartPlan>(json_text, "a part plan", [](const Json& j) {
    PartPlan plan;
    plan.prefix_bytes = j.at("prefixBytes").get<std::uint64_t>();
    plan.prefix_lines = j.at("prefixLines").get<std::int64_t>();
    plan.as_of = j.at("asOfDays").get<std::int32_t>();
    plan.delimiter = delimiter_of(j);
    plan.fields = j.at("fields").get<std::size_t>();
    plan.list_bytes = j.value("listBytes", std::uint64_t{0});
    return plan;
  });
}

nlohmann::ordered_json export_plan_json(const ExportPlan& plan) {
  using Ordered = nlohmann::ordered_json;
  Ordered matches = Ordered::array();
  for (const FieldMatch& m : plan.matches) matches.push_back({{"field", m.field}, {"column", m.column}});
  Ordered parts = Ordered::array();
  for (const auto& part : plan.parts) parts.push_back({{"row", part.row}, {"start", part.start}, {"end", part.end}});
  return Ordered{{"asOfDays", plan.as_of},   {"delimiter", std::string(1, plan.delimiter)},
                 {"headers", plan.headers},  {"matches", std::move(matches)},
                 {"model", plan.model},      {"rows", plan.rows},
                 {"parts", std::move(parts)}};
}

Result<ExportPlan> export_plan_from_json(std::string_view json_text) {
  return plan_from_json<ExportPlan>(json_text, "an export plan", [](const Json& j) {
    ExportPlan plan;
    plan.as_of = j.at("asOfDays").get<std::int32_t>();
    plan.delimiter = delimiter_of(j);
    plan.headers = j.at("headers").get<std::vector<std::string>>();
    for (const auto& m : j.at("matches")) {
      plan.matches.push_back(
          FieldMatch{m.at("field").get<std::string>(), m.at("column").get<std::size_t>(), MatchKind::Model});
    }
    plan.rows = j.value("rows", std::size_t{0});
    plan.model = j.value("model", std::string());
    for (const auto& p : j.value("parts", Json::array())) {
      plan.parts.push_back(ExportPlan::Part{p.at("row").get<std::size_t>(), p.at("start").get<std::uint64_t>(),
                                            p.at("end").get<std::uint64_t>()});
    }
    return plan;
  });
}

namespace {

CsvWriterOptions without_byte_order_mark(CsvWriterOptions options) {
  options.byte_order_mark = false;
  return options;
}

}  // namespace

/// Each record the tokenizer reads, scored and written (its issues were reported when the list
/// was read).
class ScoredCsvPart::Rows final : public CsvSink {
 public:
  explicit Rows(ScoredCsvPart& part) : part_(part) {}
  void on_record(const CsvRecord& row) override {
    part_.scorer_->score(row, result_, part_.writer_.detail());
    part_.writer_.on_row(row, result_, *part_.scorer_);
    ++part_.rows_;
  }
  void on_issue(const Error&) override {}

 private:
  ScoredCsvPart& part_;
  ScoreResult result_;
};

ScoredCsvPart::ScoredCsvPart(ScoringModel model, const ExportPlan& plan, ScoredCsvWriter::Output output,
                             CsvWriterOptions options)
    : model_(std::make_unique<ScoringModel>(std::move(model))),
      mapping_(plan.headers, plan.matches),
      scorer_(std::make_unique<Scorer>(*model_, mapping_, plan.as_of)),
      writer_(std::move(output), without_byte_order_mark(options)),
      tokenizer_(std::make_unique<detail::CsvTokenizer>(plan.delimiter, plan.headers.size())),
      sink_(std::make_unique<Rows>(*this)) {
  writer_.continue_after_header(plan.headers.size());
}

ScoredCsvPart::~ScoredCsvPart() = default;

void ScoredCsvPart::feed(std::string_view bytes) { tokenizer_->feed(bytes, *sink_); }

void ScoredCsvPart::finish() {
  tokenizer_->finish(*sink_);
  writer_.flush();
}

namespace detail {

namespace {

class PartWriter {
 public:
  template <class T>
  void put(const T& value) {
    out.append(reinterpret_cast<const char*>(&value), sizeof(T));
  }
  template <class T>
  void put_array(const T* values, std::size_t count) {
    put<std::uint64_t>(count);
    out.append(reinterpret_cast<const char*>(values), count * sizeof(T));
  }
  void put_text(std::string_view text) { put_array(text.data(), text.size()); }
  std::string out;
};

class PartReader {
 public:
  explicit PartReader(std::string_view in) : in_(in) {}
  bool ok() const noexcept { return ok_; }
  template <class T>
  T get() {
    T value{};
    if (!take(sizeof(T))) return value;
    std::memcpy(&value, in_.data() - sizeof(T), sizeof(T));
    return value;
  }
  /// Where the values of an array of exactly `count` values of T start in the packed bytes (not
  /// aligned: read them with memcpy).
  template <class T>
  const char* get_array(std::size_t count) {
    if (get<std::uint64_t>() != count || count > in_.size() / sizeof(T) || !take(count * sizeof(T))) {
      ok_ = false;
      return nullptr;
    }
    return in_.data() - count * sizeof(T);
  }
  std::string_view get_text() {
    const auto n = get<std::uint64_t>();
    if (n > in_.size() || !take(n)) {
      ok_ = false;
      return {};
    }
    return std::string_view(in_.data() - n, n);
  }

 private:
  bool take(std::size_t n) {
    if (!ok_ || in_.size() < n) {
      ok_ = false;
      return false;
    }
    in_.remove_prefix(n);
    return true;
  }
  std::string_view in_;
  bool ok_ = true;
};

constexpr std::uint64_t kPartMagic = 0x3174726170736C;  // "lspart1"

/// A value of T at `at` (unaligned).
template <class T>
T load(const char* at) noexcept {
  T value;
  std::memcpy(&value, at, sizeof value);
  return value;
}

}  // namespace

std::uint16_t PackedKeyColumn::id(std::size_t row) const noexcept {
  return width == 1 ? static_cast<unsigned char>(ids[row]) : load<std::uint16_t>(ids + 2 * row);
}

PackedFigures PackedPart::figures_of(std::size_t row) const noexcept {
  return load<PackedFigures>(figures + row * sizeof(PackedFigures));
}
std::uint64_t PackedPart::offset(std::size_t row) const noexcept {
  return load<std::uint64_t>(offsets + row * sizeof(std::uint64_t));
}
std::uint32_t PackedPart::line(std::size_t row) const noexcept {
  return load<std::uint32_t>(lines + row * sizeof(std::uint32_t));
}

std::string pack_part(const LeadStore& store, const PartPlan& plan, std::uint64_t start, std::uint64_t bytes,
                      std::int64_t end_line, std::int64_t invalid_utf8) {
  const std::size_t n = store.figures.size();
  const KeyCache* keys = store.keys_cached() && store.keys->rows() == n ? store.keys.get() : nullptr;
  PartWriter w;
  w.out.reserve(64 + n * (sizeof(PackedFigures) + 12) + (keys ? keys->bytes() : 0));
  w.put(kPartMagic);
  w.put<std::uint64_t>(start);
  w.put<std::uint64_t>(start + (bytes - plan.prefix_bytes));
  w.put<std::int64_t>(plan.prefix_lines);
  w.put<std::int64_t>(end_line);
  w.put<std::int64_t>(invalid_utf8);
  w.put_text(store.summary.state().dump());
  w.put<std::uint64_t>(n);
  w.put_array(store.figures.data(), n);
  w.put<std::uint64_t>(n);
  for (std::size_t i = 0; i < n; ++i) w.put<std::uint64_t>(store.rows.offset(i) - plan.prefix_bytes + start);
  w.put<std::uint64_t>(n);
  for (std::size_t i = 0; i < n; ++i) w.put<std::uint32_t>(static_cast<std::uint32_t>(store.rows.line(i)));
  w.put<std::uint8_t>(keys != nullptr);
  if (keys) {
    // Per column (the sources last): the texts, then every row's id among them, one or two bytes.
    w.put<std::uint64_t>(keys->columns());
    for (std::size_t k = 0; k <= keys->columns(); ++k) {
      const bool sources = k == keys->columns();
      const std::size_t count = sources ? keys->source_count() : keys->texts(k).size();
      w.put<std::uint64_t>(count);
      for (std::size_t t = 0; t < count; ++t) {
        w.put_text(sources ? keys->source_text(static_cast<std::uint32_t>(t)) : std::string_view(keys->texts(k)[t]));
      }
      const Scorer::KeyIds ids = keys->ids(k).from(0);
      w.put<std::uint8_t>(ids.two ? 2 : 1);
      if (ids.two) {
        w.put_array(ids.two, n);
      } else {
        w.put_array(ids.one, n);
      }
    }
  }
  return std::move(w.out);
}

Result<PackedPart> unpack_part(std::string_view packed, std::optional<std::size_t> key_columns) {
  const Error malformed{ErrorCode::InvalidArgument, "not a packed part of a list"};
  PartReader r(packed);
  PackedPart part;
  if (r.get<std::uint64_t>() != kPartMagic) return malformed;
  part.start = r.get<std::uint64_t>();
  part.end = r.get<std::uint64_t>();
  part.prefix_lines = r.get<std::int64_t>();
  part.end_line = r.get<std::int64_t>();
  part.invalid_utf8 = r.get<std::int64_t>();
  part.summary_state = r.get_text();
  const auto n = static_cast<std::size_t>(r.get<std::uint64_t>());
  part.rows = n;
  part.figures = r.get_array<PackedFigures>(n);
  part.offsets = r.get_array<std::uint64_t>(n);
  part.lines = r.get_array<std::uint32_t>(n);
  part.has_keys = r.get<std::uint8_t>() != 0;
  if (!r.ok() || part.end < part.start) return malformed;
  if (!part.has_keys || !key_columns) return part;
  if (r.get<std::uint64_t>() != *key_columns) return malformed;
  for (std::size_t k = 0; k <= *key_columns; ++k) {
    PackedKeyColumn& column = part.keys.emplace_back();
    const auto count = r.get<std::uint64_t>();
    for (std::uint64_t t = 0; t < count && r.ok(); ++t) column.texts.push_back(r.get_text());
    column.width = r.get<std::uint8_t>();
    column.ids = column.width == 1 ? r.get_array<std::uint8_t>(n) : r.get_array<std::uint16_t>(n);
    if (!r.ok() || (column.width != 1 && column.width != 2)) return malformed;
    std::size_t above = 0;  // every id names one of the texts
    for (std::size_t i = 0; i < n; ++i) above |= column.id(i) >= column.texts.size();
    if (above) return malformed;
  }
  return part;
}

}  // namespace detail

}  // namespace leadscore
