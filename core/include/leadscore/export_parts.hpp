#pragma once
/// A finished list's scored CSV written in parts at once (threads, Web Workers): the list hands out
/// an ExportPlan; a ScoredCsvPart writes each later range of rows while the list writes its own;
/// the parts one after the other are the list's export. The plan crosses to the other workers as
/// JSON.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "leadscore/column_map.hpp"
#include "leadscore/csv_reader.hpp"
#include "leadscore/csv_writer.hpp"
#include "leadscore/error.hpp"
#include "leadscore/model.hpp"

namespace leadscore {

class Scorer;
namespace detail {
class CsvTokenizer;
}  // namespace detail

/// What another worker needs to write a part of a finished list's scored CSV exactly as the list
/// writes it (ScoredCsvPart): the list writes its first rows, the others write theirs at once.
struct ExportPlan {
  std::int32_t as_of = 0;
  char delimiter = ',';
  std::vector<std::string> headers;  ///< the header's cells as the mapping names them
  std::vector<FieldMatch> matches;   ///< the list's mapping, field by field
  std::size_t rows = 0;              ///< the list's rows
  std::string model;                 ///< the JSON text of the model the list scores with, when its holder knows it
  /// A part: rows [row, the next part's row) of the list, its bytes [start, end) of the file.
  struct Part {
    std::size_t row = 0;
    std::uint64_t start = 0;
    std::uint64_t end = 0;
  };
  std::vector<Part> parts;  ///< after the list's own part, rows [0, parts[0].row)
};

/// The plan as JSON ({"asOfDays", "delimiter", "headers", "matches", "rows", "model", "parts"}),
/// and back; a plan that is not one is an InvalidArgument error.
nlohmann::ordered_json export_plan_json(const ExportPlan& plan);
Result<ExportPlan> export_plan_from_json(std::string_view json_text);

/// A part of a list's scored CSV written here: the rows of the file's bytes from the part's start
/// to its end, read and scored as the list reads and scores them, without the header.
class ScoredCsvPart {
 public:
  /// `model`: the model the list scores with now; `plan`: the list's export_plan. The byte-order
  /// mark belongs to the list's own part: `options.byte_order_mark` is ignored.
  ScoredCsvPart(ScoringModel model, const ExportPlan& plan, ScoredCsvWriter::Output output, CsvWriterOptions options);
  ~ScoredCsvPart();
  ScoredCsvPart(const ScoredCsvPart&) = delete;
  ScoredCsvPart& operator=(const ScoredCsvPart&) = delete;

  /// The part's next bytes of the file, from its start on.
  void feed(std::string_view bytes);
  /// After the part's last byte: writes what is left.
  void finish();
  /// Rows written so far.
  std::size_t rows() const noexcept { return rows_; }

 private:
  class Rows;
  std::unique_ptr<ScoringModel> model_;  // stable address: the scorer points into it
  ColumnMapping mapping_;
  std::unique_ptr<Scorer> scorer_;
  ScoredCsvWriter writer_;
  std::unique_ptr<detail::CsvTokenizer> tokenizer_;
  std::unique_ptr<Rows> sink_;
  std::size_t rows_ = 0;
};

}  // namespace leadscore
