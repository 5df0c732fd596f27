#include "leadscore/row_index.hpp"

#include <algorithm>

#include "detail/csv_tokenizer.hpp"
#include "detail/text_decoder.hpp"

namespace leadscore {

namespace {

/// Takes the records of re-read text in order, numbering them from the first row read.
class RowCollector final : public CsvSink {
 public:
  RowCollector(std::size_t first, const std::function<bool(std::size_t, const CsvRecord&)>& visit)
      : next_(first), visit_(visit) {}
  void on_record(const CsvRecord& record) override {
    if (!stopped_) stopped_ = !visit_(next_++, record);
  }
  void on_issue(const Error&) override {}  // reported when the list was first read
  bool stopped() const noexcept { return stopped_; }

 private:
  std::size_t next_;
  const std::function<bool(std::size_t, const CsvRecord&)>& visit_;
  bool stopped_ = false;
};

}  // namespace

void RowIndex::append_text(std::string_view text) {
  while (!text.empty()) {
    if (blocks_.empty() || blocks_.back().size() == kBlockBytes) {
      blocks_.emplace_back();
      blocks_.back().reserve(kBlockBytes);
    }
    std::string& block = blocks_.back();
    const std::size_t take = std::min(text.size(), kBlockBytes - block.size());
    block.append(text.substr(0, take));
    text.remove_prefix(take);
    text_size_ += take;
  }
}

Status RowIndex::text_of(std::uint64_t begin, std::uint64_t& end, std::string& out) const {
  out.clear();
  if (end <= begin) return Ok{};
  if (keep_text_) {
    end = std::min(end, text_size_);
    for (std::uint64_t at = begin; at < end;) {
      const std::string& block = blocks_[static_cast<std::size_t>(at / kBlockBytes)];
      const auto offset = static_cast<std::size_t>(at % kBlockBytes);
      const auto take = static_cast<std::size_t>(std::min<std::uint64_t>(end - at, block.size() - offset));
      out.append(block, offset, take);
      at += take;
    }
    return Ok{};
  }
  Status status = source_->read(begin, static_cast<std::size_t>(end - begin), out);
  if (!status.ok()) return status;
  if (out.size() != end - begin) return Error{ErrorCode::IoError, "the file changed or could not be read again"};
  // A piece that stops short of the end is cut after its last line feed, so no character is split
  // and the decoder starts the next piece as the first reading did.
  if (end < end_) {
    const std::size_t last_break = out.rfind('\n');
    if (last_break != std::string::npos) {
      out.resize(last_break + 1);
      end = begin + out.size();
    }
  }
  // Valid UTF-8 (nearly always) decodes to the bytes as read.
  if (detail::is_valid_utf8(out, false)) return Ok{};
  std::string raw;
  raw.swap(out);
  detail::TextDecoder decoder(TextEncoding::Utf8);
  decoder.decode(raw, [&](std::string_view text, bool) { out.append(text); });
  decoder.finish([&](std::string_view text, bool) { out.append(text); });
  return Ok{};
}

Status RowIndex::read(std::size_t index, CsvRecord& out) const {
  out.clear();
  bool found = false;
  Status status = scan(
      index,
      [&](std::size_t, const CsvRecord& record) {
        out = record;
        found = true;
        return false;
      },
      index + 1 < offsets_.size() ? offsets_[index + 1] : end_);
  if (!status.ok()) return status;
  out.set_line(lines_[index]);
  return Ok{};
}

Status RowIndex::scan(std::size_t first, const std::function<bool(std::size_t, const CsvRecord&)>& visit,
                      std::uint64_t until) const {
  if (first >= offsets_.size()) return Ok{};
  until = std::min(until, end_);
  detail::CsvTokenizer tokenizer(delimiter_, fields_);
  RowCollector rows(first, visit);
  std::string text;
  for (std::uint64_t at = offsets_[first]; at < until && !rows.stopped();) {
    std::uint64_t next = std::min<std::uint64_t>(until, at + scan_bytes_);
    Status status = text_of(at, next, text);
    if (!status.ok()) return status;
    tokenizer.feed(text, rows);
    at = next;
  }
  if (!rows.stopped()) tokenizer.finish(rows);
  return Ok{};
}

Status RowIndex::scan_rows(const std::vector<std::uint32_t>& rows,
                           const std::function<void(std::size_t, const CsvRecord&)>& visit) const {
  // Rows less than this apart are read in one piece (up to a block): reading the bytes between
  // costs less than another read (in the browser, each read is a call out to the File). Only the
  // rows listed are tokenized.
  constexpr std::uint64_t kGapBytes = 64u << 10;
  const auto end_of = [&](std::size_t row) { return row + 1 < offsets_.size() ? offsets_[row + 1] : end_; };
  std::string text;
  for (std::size_t first = 0; first < rows.size();) {
    const std::uint64_t begin = offsets_[rows[first]];
    std::size_t last = first;
    while (last + 1 < rows.size() && offsets_[rows[last + 1]] - end_of(rows[last]) < kGapBytes &&
           end_of(rows[last + 1]) - begin <= scan_bytes_) {
      ++last;
    }
    std::uint64_t end = end_of(rows[last]);
    Status status = text_of(begin, end, text);
    if (!status.ok()) return status;
    // Each row's text ends with its line break: the tokenizer is between records after each.
    detail::CsvTokenizer tokenizer(delimiter_, fields_);
    std::size_t next = first;
    const std::function<bool(std::size_t, const CsvRecord&)> listed = [&](std::size_t, const CsvRecord& row) {
      visit(rows[next++], row);
      return next <= last;
    };
    RowCollector collector(0, listed);
    for (std::size_t k = first; k <= last; ++k) {
      const std::uint64_t from = offsets_[rows[k]] - begin;
      const std::uint64_t to = std::min<std::uint64_t>(end_of(rows[k]), end) - begin;
      if (from < to) tokenizer.feed(std::string_view(text).substr(from, to - from), collector);
    }
    tokenizer.finish(collector);
    first = last + 1;
  }
  return Ok{};
}

std::size_t RowIndex::bytes() const noexcept {
  std::size_t total = offsets_.capacity() * sizeof(std::uint64_t) + lines_.capacity() * sizeof(std::uint32_t);
  for (const auto& block : blocks_) total += block.capacity();
  return total;
}

}  // namespace leadscore
