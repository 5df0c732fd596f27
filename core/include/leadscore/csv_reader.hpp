#pragma once
/// Streaming CSV reader: bytes in chunks of any size, split anywhere, give the same records as
/// one big buffer. Only the record being read is buffered (plus a fixed sniffing prefix).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "leadscore/error.hpp"

namespace leadscore {

/// How the input bytes were decoded to UTF-8.
enum class TextEncoding { Utf8, Windows1252, Utf16Le, Utf16Be };

/// "utf-8", "windows-1252", "utf-16le", "utf-16be".
const char* encoding_name(TextEncoding encoding) noexcept;

struct CsvOptions {
  /// Field delimiter; 0 sniffs it among `,` `;` TAB `|` from the first `sniff_bytes`.
  char delimiter = 0;
  /// How much of the start of the input decides encoding and delimiter (extended to the end of
  /// its first lines). Every decision is made on this prefix alone, so the way the input is split
  /// into chunks cannot change it.
  std::size_t sniff_bytes = 64 * 1024;
  /// Given (with the delimiter): the input is read as this encoding from its first byte, nothing
  /// is sniffed or checked (a part of a file whose start was read already). A BOM is still removed.
  std::optional<TextEncoding> encoding;
};

/// What the reader found out about the input; complete once the first record is out.
struct CsvFormat {
  TextEncoding encoding = TextEncoding::Utf8;
  bool had_bom = false;  ///< a byte-order mark was present (and removed)
  char delimiter = ',';
  bool delimiter_sniffed = false;       ///< false when given in CsvOptions
  std::int64_t invalid_utf8_bytes = 0;  ///< bytes of a UTF-8 file read as Windows-1252
};

namespace detail {
class CsvTokenizer;
}  // namespace detail

/// One record: its cells (already unquoted, UTF-8), the physical line it starts on and where it
/// starts in the decoded text.
class CsvRecord {
 public:
  std::int64_t line() const noexcept { return line_; }
  /// Offset of the record's first byte in the decoded text (CsvReader::raw_offset maps it back).
  std::uint64_t offset() const noexcept { return offset_; }
  std::size_t size() const noexcept { return fields_; }
  bool empty() const noexcept { return fields_ == 0; }
  std::string_view operator[](std::size_t i) const noexcept {
    const std::size_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(data_.data() + begin, ends_[i] - begin);
  }
  /// Every cell's text back to back: cell i is [cell_end(i - 1), cell_end(i)) of it.
  std::string_view text() const noexcept { return std::string_view(data_.data(), used_); }
  std::size_t cell_end(std::size_t i) const noexcept { return ends_[i]; }
  void clear() noexcept {
    used_ = 0;
    fields_ = 0;
  }
  /// Appends a cell (for building records by hand, e.g. in tests or from a form).
  void push_back(std::string_view cell) {
    append(cell.data(), cell.size());
    end_field();
  }
  void set_line(std::int64_t line) noexcept { line_ = line; }
  /// How many cells have a first byte that `starts` says yes to (no branch per cell: cheap enough
  /// for every row), and the first such cell's index in `first` (size() when none).
  template <typename Starts>
  std::size_t count_cells_starting(Starts&& starts, std::size_t& first) const {
    std::size_t count = 0, begin = 0;
    first = 0;
    for (std::size_t i = 0; i < fields_; ++i) {
      const std::size_t end = ends_[i];
      count += static_cast<std::size_t>(end > begin) & static_cast<std::size_t>(starts(data_[begin]));
      first = count == 0 ? i + 1 : first;
      begin = end;
    }
    return count;
  }

 private:
  friend class detail::CsvTokenizer;
  // The cells' bytes back to back in data_[0, used_), with at least 16 bytes after them: grown,
  // never shrunk, so reading a file allocates only for its longest record. Inside the core, text()
  // may be read up to 16 bytes past its end (copies of 16 bytes at a time need no check).
  void append(const char* bytes, std::size_t n) {
    if (n == 0) return;  // `bytes` may then be null, which memcpy must not get
    if (used_ + n + 16 > data_.size()) data_.resize(std::max<std::size_t>({2 * data_.size(), used_ + n + 16, 256}));
    std::memcpy(&data_[used_], bytes, n);
    used_ += n;
  }
  // Room for `bytes` more bytes of cells (and the slack after them) and `cells` more cells: the
  // tokenizer's run of appends after it needs no check each.
  void reserve(std::size_t bytes, std::size_t cells) {
    if (used_ + bytes + 16 > data_.size())
      data_.resize(std::max<std::size_t>({2 * data_.size(), used_ + bytes + 16, 256}));
    if (fields_ + cells > ends_.size()) ends_.resize(std::max<std::size_t>({2 * ends_.size(), fields_ + cells, 32}));
  }
  void append(char c) {
    if (used_ + 17 > data_.size()) data_.resize(std::max<std::size_t>(2 * data_.size(), 256));
    data_[used_++] = c;
  }
  void end_field() {
    if (fields_ == ends_.size()) ends_.resize(std::max<std::size_t>(2 * ends_.size(), 32));
    ends_[fields_++] = used_;
  }

  std::string data_;
  std::size_t used_ = 0;
  std::vector<std::size_t> ends_;  // ends_[0, fields_): each cell's end in data_ (grown, never shrunk)
  std::size_t fields_ = 0;
  std::int64_t line_ = 0;
  std::uint64_t offset_ = 0;
};

/// Receives what the reader produces, in input order.
class CsvSink {
 public:
  virtual ~CsvSink() = default;
  /// Every record, the header first. The reference is valid only during the call.
  virtual void on_record(const CsvRecord& record) = 0;
  /// A problem with a row; the row itself is still delivered.
  virtual void on_issue(const Error& issue) = 0;
};

namespace detail {
class TextDecoder;
}  // namespace detail

/// The streaming reader. `feed` any number of chunks, then `finish` once.
/// A fatal problem (not a text file, empty input) is returned as an Error and nothing more is read.
class CsvReader {
 public:
  explicit CsvReader(CsvOptions options = {});
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  Status feed(std::string_view bytes, CsvSink& sink);
  Status finish(CsvSink& sink);

  const CsvFormat& format() const noexcept { return format_; }
  std::int64_t bytes_fed() const noexcept { return bytes_fed_; }
  /// Whether a decoded offset can be mapped back to the input's bytes (UTF-8 input: yes).
  bool has_raw_offsets() const noexcept { return started_ && format_.encoding == TextEncoding::Utf8; }
  /// The input byte where decoded offset `decoded` is (see has_raw_offsets).
  std::uint64_t raw_offset(std::uint64_t decoded) const noexcept;
  /// Receives every piece of decoded text, in order, before it is tokenized.
  void set_text_tap(std::function<void(std::string_view)> tap) { text_tap_ = std::move(tap); }

 private:
  static constexpr std::size_t kSniffLines = 8;
  static constexpr std::size_t kMaxPrefixBytes = 4 * 1024 * 1024;
  std::size_t take_prefix(std::string_view bytes);
  bool prefix_complete() const noexcept;
  // Encoding and delimiter both given: nothing is sniffed or checked (see CsvOptions::encoding).
  bool format_given() const noexcept { return options_.encoding && options_.delimiter != 0; }
  Status start(CsvSink& sink, bool at_end);
  void decode_and_tokenize(std::string_view bytes, CsvSink& sink);
  void pass_on(std::string_view text, bool substituted, CsvSink& sink);

  CsvOptions options_;
  CsvFormat format_;
  std::string prefix_;  // raw bytes held until the sniffing prefix is complete
  std::size_t prefix_line_breaks_ = 0;
  bool started_ = false;
  bool failed_ = false;
  std::int64_t bytes_fed_ = 0;
  std::int64_t last_invalid_utf8_line_ = 0;
  std::unique_ptr<detail::TextDecoder> decoder_;
  std::unique_ptr<detail::CsvTokenizer> tokenizer_;
  std::function<void(std::string_view)> text_tap_;
  // Where decoded text is longer than the input (a bad byte read as Windows-1252): per such piece,
  // the decoded offset after it and the decoded bytes added so far. Rare, hence a short list.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> added_bytes_;
  std::uint64_t decoded_ = 0;
};

}  // namespace leadscore
