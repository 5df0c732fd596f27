#pragma once
/// Where each row of a list is, so it can be read again without being kept: per row its start in
/// the text and its line. The text itself is either the caller's (a ByteSource over the file the
/// list was read from: nothing is copied) or kept here, decoded, in fixed-size blocks.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "leadscore/csv_reader.hpp"
#include "leadscore/error.hpp"

namespace leadscore {

/// Random access to the bytes a list was read from (a File in the browser, a file on disk).
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  /// Appends the input's bytes [offset, offset + length) to `out`.
  virtual Status read(std::uint64_t offset, std::size_t length, std::string& out) = 0;
};

class RowIndex {
 public:
  /// Size of the blocks the text is kept in (when it is kept).
  static constexpr std::size_t kBlockBytes = 4u << 20;

  /// `source`: the input's bytes, or null to keep the decoded text here (see keep_text);
  /// `scan_bytes`: how much is read at a time when rows are scanned in order (ListTuning).
  explicit RowIndex(std::shared_ptr<ByteSource> source = nullptr, std::size_t scan_bytes = std::size_t{16} << 20)
      : source_(std::move(source)), scan_bytes_(scan_bytes) {}

  /// Once the input's encoding is known: whether rows are read back from the source (UTF-8 input
  /// with a source: offsets are the input's) or from text kept here (offsets are decoded text's).
  void decide(bool raw_offsets_available) { keep_text_ = !source_ || !raw_offsets_available; }
  bool keeps_text() const noexcept { return keep_text_; }
  /// Decoded text, in order, when keeping it.
  void append_text(std::string_view text);

  void reserve(std::size_t rows) {
    offsets_.reserve(rows);
    lines_.reserve(rows);
  }
  /// The next row: where it starts (in the coordinates decide() chose) and its line.
  void add(std::uint64_t offset, std::int64_t line) {
    offsets_.push_back(offset);
    lines_.push_back(static_cast<std::uint32_t>(line));
  }
  /// How rows are re-read as they were first read: the delimiter and the header's field count.
  void describe(char delimiter, std::size_t fields) {
    delimiter_ = delimiter;
    fields_ = fields;
  }
  /// Where the last row ends (the input's size), once it is all read. Until then every row but
  /// the last can be read.
  void close(std::uint64_t end) { end_ = keep_text_ ? text_size_ : end; }

  std::size_t size() const noexcept { return offsets_.size(); }
  std::uint64_t offset(std::size_t index) const noexcept { return offsets_[index]; }
  std::int64_t line(std::size_t index) const noexcept { return lines_[index]; }
  /// Reads row `index` (cells and line) into `out`.
  Status read(std::size_t index, CsvRecord& out) const;
  /// Reads the rows from `first` on in order, in large pieces, until `visit(index, row)` returns
  /// false or the text reaches `until`.
  Status scan(std::size_t first, const std::function<bool(std::size_t, const CsvRecord&)>& visit,
              std::uint64_t until = UINT64_MAX) const;
  /// Reads the rows listed (ascending), each with its neighbours in one piece when they are close,
  /// and hands each to `visit(index, row)`: a few rows cost a few small reads, not the whole text.
  Status scan_rows(const std::vector<std::uint32_t>& rows,
                   const std::function<void(std::size_t, const CsvRecord&)>& visit) const;
  /// Bytes held.
  std::size_t bytes() const noexcept;

 private:
  /// The decoded text from `begin` to `end` (moved back to a line end when a piece is cut short).
  Status text_of(std::uint64_t begin, std::uint64_t& end, std::string& out) const;

  std::shared_ptr<ByteSource> source_;
  std::size_t scan_bytes_;
  bool keep_text_ = true;
  std::vector<std::string> blocks_;  // the decoded text, when kept
  std::uint64_t text_size_ = 0;
  std::vector<std::uint64_t> offsets_;
  std::vector<std::uint32_t> lines_;
  static constexpr std::uint64_t kOpen = UINT64_MAX;
  std::uint64_t end_ = kOpen;
  char delimiter_ = ',';
  std::size_t fields_ = 0;
};

}  // namespace leadscore
