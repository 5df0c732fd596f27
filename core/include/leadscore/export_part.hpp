#pragma once
/// A part of a list's scored CSV written elsewhere (another worker or thread) while the list writes
/// its own: the rows of the file's bytes from the part's start to its end, read and scored as the
/// list reads and scores them (ScoredList::export_csv), without the header. The parts one after
/// the other are the list's export, byte for byte.

#include <cstddef>
#include <memory>
#include <string_view>

#include "leadscore/csv_reader.hpp"
#include "leadscore/csv_writer.hpp"
#include "leadscore/scored_list.hpp"

namespace leadscore {

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
  CsvTokenizer tokenizer_;
  std::unique_ptr<Rows> sink_;
  std::size_t rows_ = 0;
};

}  // namespace leadscore
