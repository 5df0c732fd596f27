#include "leadscore/scored_list.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>

#include <nlohmann/json.hpp>

#include "detail/interner.hpp"

namespace leadscore {

namespace {

/// Rows read before the mapping is decided, as the session does.
constexpr std::size_t kMappingSampleRows = 100;
/// Rows scored together from their keys while a list is read. The first batch is small: a
/// browser optimizes a function once it has run a while, but a call that started in the baseline
/// code ends in it, and a first batch as large as the others ran all of its rows that way.
constexpr std::size_t kBatchRows = 1u << 16;
constexpr std::size_t kFirstBatchRows = 1u << 12;

/// A 0-100 score with one decimal, in tenths (x10 is within a hair of a whole number: +0.5 rounds it).
std::uint16_t tenths(double value) { return static_cast<std::uint16_t>(std::clamp(value, 0.0, 100.0) * 10 + 0.5); }

/// Stable counting sort of `order` by integer keys in [0, max_key]: linear, so a million leads sort
/// in milliseconds.
template <class Key>
void counting_sort(std::vector<std::uint32_t>& order, Key key, std::size_t max_key, bool descending) {
  std::vector<std::size_t> starts(max_key + 2, 0);
  auto slot = [&](std::size_t i) { return descending ? max_key - key(i) : key(i); };
  for (std::size_t i : order) ++starts[slot(i) + 1];
  for (std::size_t k = 1; k < starts.size(); ++k) starts[k] += starts[k - 1];
  std::vector<std::uint32_t> sorted(order.size());
  for (std::size_t i : order) sorted[starts[slot(i)]++] = i;
  order.swap(sorted);
}

/// A part's rows are never read back from it (the list that joins it reads them): a source that
/// only makes the part keep the rows' offsets in the file rather than their text.
class NotReadBack final : public ByteSource {
 public:
  Status read(std::uint64_t, std::size_t, std::string&) override {
    return Error{ErrorCode::Internal, "a part of a list does not read its rows back"};
  }
};

/// A packed part: fixed-size values and arrays in the machine's byte order (the part crosses to
/// another thread or worker of the same program, never to disk).
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

}  // namespace

/// One column's key ids, row by row: a byte each while every id fits in one (most columns: a
/// few dozen distinct values), two bytes each from the first id that does not.
class KeyIds {
 public:
  std::size_t width() const noexcept { return wide_ ? 2 : 1; }
  std::size_t capacity() const noexcept { return wide_ ? two_.size() : one_.size(); }
  std::size_t bytes() const noexcept { return one_.capacity() + two_.capacity() * sizeof(std::uint16_t); }
  void resize(std::size_t rows) { wide_ ? two_.resize(rows) : one_.resize(rows); }
  /// Returns whether the column had to widen for `id`.
  bool set(std::size_t row, std::uint16_t id) {
    if (!wide_ && id <= 0xFF) {  // most rows of most columns
      one_[row] = static_cast<std::uint8_t>(id);
      return false;
    }
    return set_range(row, 1, id, [id](std::size_t) { return id; });
  }
  /// Rows [first, first + count) set to id_of(i), none above `largest`; whether the column widened.
  template <class IdOf>
  bool set_range(std::size_t first, std::size_t count, std::uint16_t largest, IdOf&& id_of) {
    const bool widens = widen_for(largest);
    if (wide_) {
      for (std::size_t i = 0; i < count; ++i) two_[first + i] = id_of(i);
    } else {
      for (std::size_t i = 0; i < count; ++i) one_[first + i] = static_cast<std::uint8_t>(id_of(i));
    }
    return widens;
  }
  std::uint16_t operator[](std::size_t row) const noexcept { return wide_ ? two_[row] : one_[row]; }
  /// The ids from row `begin` on, for the scorer.
  Scorer::KeyIds from(std::size_t begin) const noexcept {
    return wide_ ? Scorer::KeyIds{nullptr, two_.data() + begin} : Scorer::KeyIds{one_.data() + begin, nullptr};
  }

 private:
  bool widen_for(std::uint16_t id) {
    if (wide_ || id <= 0xFF) return false;
    two_.assign(one_.begin(), one_.end());
    one_ = {};
    wide_ = true;
    return true;
  }
  std::vector<std::uint8_t> one_;
  std::vector<std::uint16_t> two_;
  bool wide_ = false;
};

/// Per column the model reads (and the lead source), every row's key id, with the keys' texts:
/// re-scoring needs no row read again. Given up when a column has more distinct keys than 16-bit
/// ids hold or the ids would pass kBudgetBytes (the list then re-reads its rows to re-score).
class ScoredList::KeyCache {
 public:
  static constexpr std::size_t kBudgetBytes = 96u << 20;
  static constexpr std::uint32_t kMaxId = 0xFFFE;

  KeyCache(const Scorer& scorer, std::int64_t source_column) : source_column_(source_column) {
    for (std::size_t k = 0; k < scorer.key_columns(); ++k) columns_.push_back(scorer.column_key(k));
    texts_.resize(columns_.size());
    ids_.resize(columns_.size() + 1);  // + the lead source
  }
  bool valid() const noexcept { return valid_; }
  std::size_t bytes() const noexcept {
    std::size_t total = sources_.memory_bytes();
    for (const auto& ids : ids_) total += ids.bytes();
    for (const auto& texts : texts_) {
      for (const auto& text : texts) total += sizeof(std::string) + text.capacity();
    }
    return total;
  }

  /// The row `scorer` just read. False, with nothing added, when it does not fit: a key id too
  /// large or the budget spent (the caller then gives up the cache).
  bool add(const Scorer& scorer, std::string_view source) {
    if (!valid_) return false;
    if (rows_ == ids_[0].capacity() && !grow(rows_ + 1)) return false;
    bool added = false;
    const std::uint32_t source_id = sources_.intern(source, added);
    std::uint32_t largest = source_id;
    for (std::size_t k = 0; k < columns_.size(); ++k) largest = std::max(largest, scorer.row_key(k));
    if (largest > kMaxId) return false;
    // Written in place before they are checked against the budget: a row that does not fit is not counted.
    bool widened = false;
    for (std::size_t k = 0; k < columns_.size(); ++k)
      widened |= ids_[k].set(rows_, static_cast<std::uint16_t>(scorer.row_key(k)));
    widened |= ids_.back().set(rows_, static_cast<std::uint16_t>(source_id));
    if (widened && ids_bytes() > kBudgetBytes) return false;
    ++rows_;
    return true;
  }
  /// Keeps the keys' texts once every row is in.
  void close(const Scorer& scorer) {
    if (!valid_) return;
    rewritten_.assign(columns_.size(), false);
    for (std::size_t k = 0; k < columns_.size(); ++k) {
      for (std::uint32_t id = 0; id < scorer.key_count(k); ++id) texts_[k].emplace_back(scorer.key_text(k, id));
      const auto rewritten = [](const std::string& text) {
        return !text.empty() && text.front() == Scorer::kRewritten;
      };
      rewritten_[k] = std::any_of(texts_[k].begin(), texts_[k].end(), rewritten);
    }
  }
  bool prime(Scorer& scorer, std::int64_t source_column, std::vector<std::size_t>& columns) const {
    if (!valid_ || source_column != source_column_) return false;
    columns.clear();
    for (std::size_t k = 0; k < scorer.key_columns(); ++k) {
      std::size_t c = 0;
      while (c < columns_.size() && !columns_[c].serves(scorer.column_key(k), rewritten(c))) ++c;
      if (c == columns_.size()) return false;
      columns.push_back(c);
    }
    for (std::size_t k = 0; k < columns.size(); ++k) {
      for (const auto& text : texts_[columns[k]]) scorer.add_key(k, text);
    }
    return true;
  }
  /// Room for `rows` rows in all, as far as the budget goes.
  bool reserve(std::size_t rows) { return valid_ && (rows <= ids_[0].capacity() || grow(rows)); }
  /// Sets the ids of rows [first, first + count) (in the room reserve() made) of cached column
  /// `column` (the sources after the last column) to id_of(i), none above `largest`, before
  /// commit() counts the rows; false when the budget is spent.
  template <class IdOf>
  bool set_range(std::size_t column, std::size_t first, std::size_t count, std::uint16_t largest, IdOf&& id_of) {
    return !(ids_[column].set_range(first, count, largest, id_of) && ids_bytes() > kBudgetBytes);
  }
  void commit(std::size_t rows) noexcept { rows_ += rows; }
  std::size_t columns() const noexcept { return columns_.size(); }
  /// The cached column whose keys are input column `column`'s cells as they are (trimmed), or -1.
  std::int64_t cells_of(std::size_t column) const noexcept {
    if (!valid_) return -1;
    for (std::size_t k = 0; k < columns_.size(); ++k) {
      if (columns_[k].column != static_cast<std::int64_t>(column)) continue;
      const Scorer::KeyKind kind = columns_[k].kind;
      if ((kind == Scorer::KeyKind::Text || kind == Scorer::KeyKind::Date) && !rewritten(k))
        return static_cast<std::int64_t>(k);
    }
    return -1;
  }
  /// The texts of cached column `column`'s ids, once closed.
  const std::vector<std::string>& texts(std::size_t column) const noexcept { return texts_[column]; }
  /// The id of a lead source, added when new.
  std::uint32_t source_id_of(std::string_view source) {
    bool added = false;
    return sources_.intern(source, added);
  }
  /// Every row's key id in cached column `column` (the sources after the last column).
  const KeyIds& ids(std::size_t column) const noexcept { return ids_[column]; }
  std::uint16_t source_id(std::size_t row) const noexcept { return ids_.back()[row]; }
  /// Rows cached (every row of the list, or the cache is of no use).
  std::size_t rows() const noexcept { return valid_ ? rows_ : 0; }
  void give_up() {
    valid_ = false;
    rows_ = 0;
    ids_.clear();
    texts_.clear();
    sources_.clear();
  }
  std::size_t source_count() const noexcept { return sources_.size(); }
  std::string_view source_text(std::uint32_t id) const noexcept { return sources_.text(id); }
  /// Whether `rows` rows fit the budget at the columns' widths so far.
  bool fits(std::uint64_t rows) const noexcept { return rows <= kBudgetBytes / row_bytes(); }

 private:
  std::vector<Scorer::ColumnKey> columns_;
  std::vector<bool> rewritten_;  // per column, once closed: whether a key is not a cell (Scorer::kRewritten)
  bool rewritten(std::size_t column) const noexcept { return column >= rewritten_.size() || rewritten_[column]; }
  std::int64_t source_column_;
  std::size_t ids_bytes() const noexcept {
    std::size_t total = 0;
    for (const auto& ids : ids_) total += ids.bytes();
    return total;
  }
  std::size_t row_bytes() const noexcept {
    std::size_t total = 0;
    for (const auto& ids : ids_) total += ids.width();
    return total;
  }
  // Room for `needed` rows, at least twice as many each time, as far as the budget goes (at the
  // columns' widths so far).
  bool grow(std::size_t needed) {
    const std::size_t rows = std::min(std::max({2 * rows_, std::size_t{1} << 16, needed}), kBudgetBytes / row_bytes());
    if (rows < needed) return false;
    for (auto& ids : ids_) ids.resize(rows);
    return true;
  }

  std::vector<KeyIds> ids_;  // per column, room for rows (rows_ of them used)
  std::size_t rows_ = 0;
  std::vector<std::vector<std::string>> texts_;
  detail::Interner sources_{kMaxId + 1, 1u << 20};
  bool valid_ = true;
};

class ScoredList::Collector final : public ScoredRowSink {
 public:
  explicit Collector(ScoredList& list) : list_(list) {}
  void on_header(const CsvRecord& header, const Scorer&) override {
    list_.header_ = header;
    list_.rows_.describe(list_.session_->format().delimiter, header.size());
  }
  // While the keys are cached the session only reads them and the list scores the rows in
  // batches (score_key_columns); once they are not, the session scores each row.
  Scorer::Detail detail() const override { return list_.by_keys_ ? Scorer::Detail::Keys : Scorer::Detail::Figures; }
  bool counts_leads() const override { return true; }  // in row order, batches and single rows alike
  void on_row(const CsvRecord& row, const ScoreResult& result, Scorer& scorer) override {
    if (list_.sample_.size() < kMappingSampleRows) list_.sample_.push_back(row);
    if (!list_.keys_) {
      source_column_ = list_.session_->mapping().column_of("lead_source");
      list_.keys_ = std::make_unique<KeyCache>(scorer, source_column_);
    }
    const CsvReader& reader = list_.session_->reader();
    list_.rows_.add(list_.rows_.keeps_text() ? row.offset() : reader.raw_offset(row.offset()), row.line());
    const std::string_view source = lead_source(row, source_column_, list_.model_->missing);
    if (!list_.by_keys_) {
      list_.summary_.add(result, source);
      list_.figures_.push_back(pack(result));
      list_.scored_ = list_.figures_.size();
      return;
    }
    if (list_.keys_->add(scorer, source) && !list_.keys_will_not_fit()) {
      list_.figures_.emplace_back();  // scored with its batch
      return;
    }
    // The keys do not fit: the rows waiting are scored from theirs, this one and the rest from
    // their cells.
    list_.score_batch(scorer);
    list_.keys_->give_up();
    list_.by_keys_ = false;
    ScoreResult now;
    scorer.score(row, now, Scorer::Detail::Figures);
    list_.summary_.add(now, source);
    list_.figures_.push_back(pack(now));
    list_.scored_ = list_.figures_.size();
  }

 private:
  ScoredList& list_;
  std::int64_t source_column_ = -1;
};

struct ScoredList::QueryCache {
  ListQuery key;
  std::uint64_t generation = 0;
  std::vector<std::uint32_t> order;  // row indexes (4 bytes a lead)
};

struct ScoredList::SearchCache {
  std::string needle;
  std::vector<std::uint32_t> rows;
};

namespace {

/// Whether a cell of a row contains `needle` (lowercase, not empty), ASCII letters in any case.
/// The row's text is lowered once and searched whole (Horspool: a mismatch skips by the last
/// byte's distance from the needle's end); a match across two cells does not count.
class CellSearch {
 public:
  explicit CellSearch(std::string_view needle) : needle_(needle) {
    skip_.fill(needle_.size());
    for (std::size_t i = 0; i + 1 < needle_.size(); ++i)
      skip_[static_cast<unsigned char>(needle_[i])] = needle_.size() - 1 - i;
  }
  bool matches(const CsvRecord& row) {
    const std::string_view text = row.text();
    lowered_.resize(text.size());
    const auto* in = reinterpret_cast<const unsigned char*>(text.data());
    auto* out = reinterpret_cast<unsigned char*>(lowered_.data());
    for (std::size_t i = 0; i < text.size(); ++i)
      out[i] = in[i] | static_cast<unsigned char>((static_cast<unsigned>(in[i] - 'A') < 26u) << 5);
    const std::size_t n = needle_.size();
    std::size_t cell = 0;
    for (std::size_t at = 0; at + n <= lowered_.size();) {
      const char last = lowered_[at + n - 1];
      if (last == needle_.back() && std::memcmp(lowered_.data() + at, needle_.data(), n - 1) == 0) {
        while (row.cell_end(cell) <= at) ++cell;
        if (at + n <= row.cell_end(cell)) return true;
        ++at;
      } else {
        at += skip_[static_cast<unsigned char>(last)];
      }
    }
    return false;
  }

 private:
  std::string needle_;
  std::array<std::size_t, 256> skip_{};
  std::string lowered_;
};

}  // namespace

Result<const std::vector<std::uint32_t>*> ScoredList::rows_containing(const std::string& needle) {
  if (search_ && search_->needle == needle) return &search_->rows;
  auto found = std::make_unique<SearchCache>();
  found->needle = needle;
  CellSearch search(needle);
  const auto visit = [&](std::size_t i, const CsvRecord& row) {
    if (search.matches(row)) found->rows.push_back(static_cast<std::uint32_t>(i));
  };
  // Text that contains the last search's can only be in the rows that matched it.
  const bool narrowing = search_ && needle.find(search_->needle) != std::string::npos;
  Status status =
      narrowing ? rows_.scan_rows(search_->rows, visit) : rows_.scan(0, [&](std::size_t i, const CsvRecord& row) {
        visit(i, row);
        return true;
      });
  if (!status.ok()) return status.error();
  search_ = std::move(found);
  return &search_->rows;
}

namespace {
/// The place of an empty cell (or of a text in a column of numbers) in a column's order: last.
constexpr std::uint32_t kNoPlace = UINT32_MAX;
}  // namespace

struct ScoredList::ColumnOrder {
  std::size_t column = 0;
  std::vector<std::uint32_t> place;  // per row, from 0, or kNoPlace
  std::uint32_t places = 0;
};

namespace {

/// The first 8 bytes of `text`, ASCII letters lowered, as a big-endian number (zero-padded): in
/// the order of the lowered texts, ties aside.
std::uint64_t lowered_prefix(std::string_view text) noexcept {
  std::uint64_t prefix = 0;
  for (std::size_t b = 0; b < 8; ++b) {
    const auto c = static_cast<unsigned char>(b < text.size() ? text[b] : 0);
    prefix = prefix << 8 | (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
  }
  return prefix;
}

/// Whether `a` comes before `b` with ASCII letters lowered (bytes compared unsigned).
bool lowered_before(std::string_view a, std::string_view b) noexcept {
  const auto lower = [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 'A' && u <= 'Z' ? u + ('a' - 'A') : u;
  };
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return lower(a[i]) < lower(b[i]);
  }
  return a.size() < b.size();
}

/// Whether a column sorts as numbers: when at least 80% of its filled rows read as numbers.
struct NumberTally {
  std::size_t filled = 0, numeric = 0;
  /// `rows` rows with the (trimmed) cell `text`.
  void add(std::string_view text, std::size_t rows) {
    if (text.empty()) return;
    filled += rows;
    if (parse_quantity(text)) numeric += rows;
  }
  bool as_numbers() const noexcept { return filled > 0 && numeric * 10 >= filled * 8; }
};

/// NumberTally over a column's `values` distinct cells (`text(v)`, trimmed; `rows(v)` rows each).
template <class Text, class Rows>
bool reads_as_numbers(std::size_t values, Text&& text, Rows&& rows) {
  NumberTally tally;
  for (std::size_t v = 0; v < values; ++v) tally.add(text(v), rows(v));
  return tally.as_numbers();
}

/// The places of `values` distinct cells in sorted order (equal values share one), counted from
/// `places` on, which ends past the last. As numbers, other texts count as empty (kNoPlace); as
/// texts, ASCII letters are lowered. Only the sort's entries are held besides the places.
template <class Text>
std::vector<std::uint32_t> places_of(std::size_t values, Text&& text, bool as_numbers, std::uint32_t& places) {
  std::vector<std::uint32_t> place(values, kNoPlace);
  const auto assign_places = [&](auto&& entries, auto&& before) {
    std::sort(entries.begin(), entries.end(), before);
    for (std::size_t k = 0; k < entries.size(); ++k) {
      places += k > 0 && before(entries[k - 1], entries[k]);
      place[entries[k].value] = places;
    }
    places += !entries.empty();
  };
  struct Entry {
    std::uint64_t key;  // the number's bits (as_numbers) or the lowered text's first 8 bytes
    std::uint32_t value;
  };
  std::vector<Entry> entries;
  for (std::size_t v = 0; v < values; ++v) {
    const std::string_view t = text(v);
    if (t.empty()) continue;
    if (!as_numbers) {
      entries.push_back(Entry{lowered_prefix(t), static_cast<std::uint32_t>(v)});
    } else if (const auto quantity = parse_quantity(t)) {
      std::uint64_t bits;
      const double number = quantity->value();
      std::memcpy(&bits, &number, sizeof bits);
      entries.push_back(Entry{bits, static_cast<std::uint32_t>(v)});
    }
  }
  if (as_numbers) {
    assign_places(entries, [](const Entry& a, const Entry& b) {
      double x, y;
      std::memcpy(&x, &a.key, sizeof x);
      std::memcpy(&y, &b.key, sizeof y);
      return x < y;
    });
  } else {
    assign_places(entries, [&](const Entry& a, const Entry& b) {
      if (a.key != b.key) return a.key < b.key;
      // The same first 8 bytes: a text of at most 8 is the other's start.
      const std::string_view x = text(a.value), y = text(b.value);
      return x.size() <= 8 || y.size() <= 8 ? x.size() < y.size() : lowered_before(x, y);
    });
  }
  return place;
}

/// Distinct cells, each kept once back to back and found by a hash table of value ids (open
/// addressing, at most half full), with how many rows have each.
class DistinctCells {
 public:
  std::uint32_t add(std::string_view cell) {
    std::size_t j = slot_of(cell);
    if (table_[j] == kNoValue) {
      table_[j] = static_cast<std::uint32_t>(count_.size());
      cells_.append(cell);
      ends_.push_back(static_cast<std::uint32_t>(cells_.size()));
      count_.push_back(0);
      if (count_.size() * 2 > table_.size()) {
        table_.assign(table_.size() * 2, kNoValue);
        for (std::uint32_t v = 0; v < count_.size(); ++v) table_[slot_of(text(v))] = v;
        j = slot_of(cell);
      }
    }
    ++count_[table_[j]];
    return table_[j];
  }
  std::size_t size() const noexcept { return count_.size(); }
  std::string_view text(std::size_t v) const noexcept {
    const std::size_t begin = v == 0 ? 0 : ends_[v - 1];
    return std::string_view(cells_).substr(begin, ends_[v] - begin);
  }
  std::uint32_t rows(std::size_t v) const noexcept { return count_[v]; }
  /// Bytes held (what the budget counts).
  std::size_t bytes() const noexcept {
    return cells_.capacity() + (ends_.capacity() + count_.capacity() + table_.capacity()) * sizeof(std::uint32_t);
  }
  std::vector<std::uint32_t> places(bool as_numbers, std::uint32_t& places) const {
    return places_of(
        size(), [&](std::size_t v) { return text(v); }, as_numbers, places);
  }

 private:
  static constexpr std::uint32_t kNoValue = UINT32_MAX;
  std::size_t slot_of(std::string_view cell) const noexcept {
    std::size_t j = static_cast<std::size_t>(detail::hash_text(cell) >> 32) & (table_.size() - 1);
    while (table_[j] != kNoValue && text(table_[j]) != cell) j = (j + 1) & (table_.size() - 1);
    return j;
  }
  std::string cells_;
  std::vector<std::uint32_t> ends_, count_;
  std::vector<std::uint32_t> table_ = std::vector<std::uint32_t>(64, kNoValue);
};

std::string_view cell_of(const CsvRecord& row, std::size_t column) noexcept {
  return column < row.size() ? trim(row[column]) : std::string_view();
}

}  // namespace

Result<const ScoredList::ColumnOrder*> ScoredList::column_order(std::size_t column) {
  if (column_order_ && column_order_->column == column) return column_order_.get();
  column_order_.reset();  // not held beside the new one (4 bytes a lead)
  auto ranked = std::make_unique<ColumnOrder>();
  ranked->column = column;
  const std::size_t rows = figures_.size();
  const std::int64_t cached = keys_ && keys_->rows() == rows ? keys_->cells_of(column) : -1;
  if (cached >= 0) {
    // The model reads this column: its distinct cells and every row's are cached, nothing is read.
    const auto& texts = keys_->texts(static_cast<std::size_t>(cached));
    const KeyIds& ids = keys_->ids(static_cast<std::size_t>(cached));
    std::vector<std::uint32_t> count(texts.size(), 0), value_of(rows);
    for (std::size_t i = 0; i < rows; ++i) ++count[value_of[i] = ids[i]];
    const auto text = [&](std::size_t v) { return std::string_view(texts[v]); };
    const bool as_numbers = reads_as_numbers(texts.size(), text, [&](std::size_t v) { return count[v]; });
    const auto place = places_of(texts.size(), text, as_numbers, ranked->places);
    for (std::uint32_t& value : value_of) value = place[value];
    ranked->place = std::move(value_of);
  } else {
    Status status = rank_from_file(column, *ranked);
    if (!status.ok()) return status.error();
  }
  column_order_ = std::move(ranked);
  return column_order_.get();
}

Status ScoredList::rank_from_file(std::size_t column, ColumnOrder& ranked) const {
  const std::size_t rows = figures_.size();
  std::size_t budget = column_sort_budget_;
  if (budget == 0) {
    // Half of what the memory target (150 MB + 32 bytes a lead) leaves beside the list and its
    // caches of one order each (the rest: every row's value id, the sort, the allocator's slack).
    const std::size_t target = 150'000'000 + 32 * rows, held = memory_bytes() + 3 * sizeof(std::uint32_t) * rows;
    budget = std::max<std::size_t>(16u << 20, target > held ? (target - held) / 2 : 0);
  }
  const Error changed{ErrorCode::IoError, "the file changed or could not be read again"};
  // One read: every distinct cell once while they fit the budget. Once they do not, what decides
  // between numbers and texts and how many bytes of cells start with each two (lowered) bytes are
  // counted instead, row by row (from the distinct cells for the rows before).
  std::size_t seen = 0;
  NumberTally tally;
  std::vector<std::uint64_t> bytes_from;  // by a cell's first two bytes
  const auto count = [&](std::string_view cell, std::size_t times) {
    tally.add(cell, times);
    if (!cell.empty())
      bytes_from[lowered_prefix(cell) >> 48] +=
          times * (cell.size() + 5 * sizeof(std::uint32_t));  // as DistinctCells holds it, about
  };
  auto distinct = std::make_unique<DistinctCells>();
  std::vector<std::uint32_t> value_of;
  value_of.reserve(rows);
  Status status = rows_.scan(0, [&](std::size_t, const CsvRecord& row) {
    const std::string_view cell = cell_of(row, column);
    ++seen;
    if (!distinct) {
      count(cell, 1);
    } else {
      value_of.push_back(distinct->add(cell));
      if (distinct->bytes() > budget) {
        bytes_from.assign(std::size_t{1} << 16, 0);
        for (std::size_t v = 0; v < distinct->size(); ++v) count(distinct->text(v), distinct->rows(v));
        distinct.reset();
        value_of = {};
      }
    }
    return true;
  });
  if (!status.ok()) return status;
  if (seen != rows) return changed;
  if (distinct) {
    const bool as_numbers = reads_as_numbers(
        distinct->size(), [&](std::size_t v) { return distinct->text(v); },
        [&](std::size_t v) { return distinct->rows(v); });
    const auto place = distinct->places(as_numbers, ranked.places);
    for (std::uint32_t& value : value_of) value = place[value];
    ranked.place = std::move(value_of);
    return Ok{};
  }
  ranked.place.assign(rows, kNoPlace);
  ranked.places = 0;
  if (tally.as_numbers()) {
    // Too many distinct numbers to hold as text: every row's number, sorted.
    std::vector<double> number(rows);
    std::vector<std::uint32_t> order;
    status = rows_.scan(0, [&](std::size_t i, const CsvRecord& row) {
      const auto quantity = parse_quantity(cell_of(row, column));
      if (quantity) {
        number[i] = quantity->value();
        order.push_back(static_cast<std::uint32_t>(i));
      }
      return true;
    });
    if (!status.ok()) return status;
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return number[a] < number[b]; });
    for (std::size_t k = 0; k < order.size(); ++k) {
      ranked.places += k > 0 && number[order[k - 1]] < number[order[k]];
      ranked.place[order[k]] = ranked.places;
    }
    ranked.places += !order.empty();
    return Ok{};
  }
  // Too many distinct texts: ranked a range of first two bytes at a time (the ranges in order, so
  // each range's places follow the last's), each range's distinct cells within the budget.
  for (std::size_t from = 0; from < bytes_from.size();) {
    std::size_t to = from;
    std::uint64_t bytes = 0;
    do {
      bytes += bytes_from[to++];
    } while (to < bytes_from.size() && bytes + bytes_from[to] <= budget);
    if (bytes > 0) {
      DistinctCells range;
      std::vector<std::uint32_t> members, values;
      status = rows_.scan(0, [&](std::size_t i, const CsvRecord& row) {
        const std::string_view cell = cell_of(row, column);
        const std::size_t first_two = lowered_prefix(cell) >> 48;
        if (cell.empty() || first_two < from || first_two >= to) return true;
        members.push_back(static_cast<std::uint32_t>(i));
        values.push_back(range.add(cell));
        return true;
      });
      if (!status.ok()) return status;
      const auto place = range.places(false, ranked.places);
      for (std::size_t k = 0; k < members.size(); ++k) ranked.place[members[k]] = place[values[k]];
    }
    from = to;
  }
  return Ok{};
}

ScoredList::ScoredList(ScoringModel model, SessionOptions options, std::shared_ptr<ByteSource> source)
    : model_(std::make_unique<ScoringModel>(std::move(model))),
      options_(std::move(options)),
      session_(std::make_unique<ScoringSession>(*model_, options_)),
      collector_(std::make_unique<Collector>(*this)),
      rows_(std::move(source)) {
  // The first decoded text arrives once the encoding is known, before any row: decide then.
  session_->reader().set_text_tap([this, decided = false](std::string_view text) mutable {
    if (!decided) {
      rows_.decide(session_->reader().has_raw_offsets());
      decided = true;
    }
    if (rows_.keeps_text()) rows_.append_text(text);
  });
}

ScoredList::~ScoredList() = default;

ScoredList::Packed ScoredList::pack(const ScoreResult& r) {
  return Packed{tenths(r.total), tenths(r.fit.score), tenths(r.engagement.score),
                static_cast<std::uint8_t>(r.temperature), static_cast<std::uint8_t>(r.disqualifier != nullptr)};
}

LeadFigures ScoredList::figures(std::size_t row) const {
  const Packed& p = figures_.at(row);
  return LeadFigures{p.score / 10.0f, p.fit / 10.0f, p.engagement / 10.0f, static_cast<Temperature>(p.temperature),
                     p.disqualified != 0};
}

std::int64_t ScoredList::bytes_read() const noexcept { return session_ ? session_->bytes_fed() : bytes_; }

Status ScoredList::feed(std::string_view bytes) {
  if (!session_) return Error{ErrorCode::InvalidArgument, "this list is already read; start a new one"};
  Status status = session_->feed(bytes, *collector_);
  // Batches are large (the work per batch pays off) or wait for someone to look (query()).
  if (by_keys_ && session_->scorer() && figures_.size() - scored_ >= (scored_ == 0 ? kFirstBatchRows : kBatchRows)) {
    score_batch(*session_->scorer());
  }
  return status;
}

void ScoredList::score_batch(const Scorer& scorer) {
  const std::size_t begin = scored_;
  if (!keys_ || !keys_->valid() || begin == figures_.size()) return;
  std::vector<std::size_t> columns(scorer.key_columns());
  for (std::size_t k = 0; k < columns.size(); ++k) columns[k] = k;
  score_from_keys(scorer, columns, begin);
  scored_ = figures_.size();
}

Status ScoredList::finish() {
  if (!session_) return Error{ErrorCode::InvalidArgument, "this list is already read; start a new one"};
  Status status = session_->finish(*collector_);
  if (!status.ok()) return status;
  if (by_keys_ && session_->scorer()) score_batch(*session_->scorer());
  format_ = session_->format();
  format_.invalid_utf8_bytes += joined_invalid_utf8_;
  bytes_ = bytes_read();
  end_line_ = session_->reader().line();
  mapping_ = session_->mapping();
  summary_.merge(session_->summary());  // the issues: the list counted the leads
  scorer_ = std::make_unique<Scorer>(*model_, mapping_, session_->scorer()->as_of());
  if (keys_) {
    keys_->close(*session_->scorer());
    std::vector<std::size_t> columns;
    keys_->prime(*scorer_, mapping_.column_of("lead_source"), columns);
  }
  rows_.close(static_cast<std::uint64_t>(bytes_));
  session_.reset();
  finished_ = true;
  return Ok{};
}

Result<std::size_t> ScoredList::score_all() {
  summary_.clear_scores();
  cache_.reset();
  const std::int64_t source_column = mapping_.column_of("lead_source");
  std::vector<std::size_t> columns;
  if (keys_ && keys_->rows() == figures_.size() && keys_->prime(*scorer_, source_column, columns)) {
    return score_from_keys(*scorer_, columns, 0);
  }
  // The rows are read again, and their keys cached for the next time when they can fit.
  keys_.reset();
  if ((figures_.size() + 1) * (scorer_->key_columns() + 1) <= KeyCache::kBudgetBytes) {  // a byte an id at least
    keys_ = std::make_unique<KeyCache>(*scorer_, source_column);
  }
  std::size_t changed = 0;
  ScoreResult result;
  Status status = rows_.scan(0, [&](std::size_t i, const CsvRecord& row) {
    scorer_->score(row, result, Scorer::Detail::Figures);
    const std::string_view source = lead_source(row, source_column, model_->missing);
    if (keys_ && keys_->valid() && !keys_->add(*scorer_, source)) keys_->give_up();
    summary_.add(result, source);
    const Packed now = pack(result);
    changed += now.temperature != figures_[i].temperature;
    figures_[i] = now;
    return true;
  });
  if (!status.ok()) return status.error();
  if (keys_) keys_->close(*scorer_);
  return changed;
}

std::size_t ScoredList::score_from_keys(const Scorer& scorer, const std::vector<std::size_t>& columns,
                                        std::size_t begin) {
  std::vector<Scorer::KeyIds> ids;
  for (std::size_t column : columns) ids.push_back(keys_->ids(column).from(begin));
  std::vector<ScoreResult> results;
  std::vector<std::uint32_t> result_of_row;
  scorer.score_key_columns(figures_.size() - begin, ids, results, result_of_row);
  return apply(begin, results, result_of_row);
}

std::size_t ScoredList::apply(std::size_t begin, const std::vector<ScoreResult>& results,
                              const std::vector<std::uint32_t>& result_of_row) {
  // Figures row by row; the summary from counts per distinct result and per source and temperature.
  std::vector<Packed> packed;
  for (const ScoreResult& result : results) packed.push_back(pack(result));
  std::vector<std::int64_t> leads(results.size(), 0);
  std::vector<std::array<std::int64_t, 3>> by_source(keys_->source_count(), std::array<std::int64_t, 3>{});
  std::size_t changed = 0;
  for (std::size_t i = 0; i < result_of_row.size(); ++i) {
    const std::uint32_t r = result_of_row[i];
    const Packed now = packed[r];
    Packed& figures = figures_[begin + i];
    changed += now.temperature != figures.temperature;
    figures = now;
    ++leads[r];
    ++by_source[keys_->source_id(begin + i)][now.temperature];
  }
  for (std::size_t r = 0; r < results.size(); ++r) summary_.add_scores(results[r], static_cast<std::int64_t>(leads[r]));
  for (std::size_t s = 0; s < by_source.size(); ++s) {
    for (Temperature t : {Temperature::Cold, Temperature::Warm, Temperature::Hot}) {
      const std::int64_t n = by_source[s][static_cast<std::size_t>(t)];
      if (n > 0) summary_.add_source(keys_->source_text(static_cast<std::uint32_t>(s)), t, n);
    }
  }
  return changed;
}

Result<std::unique_ptr<ScoredList>> ScoredList::part(ScoringModel model, SessionOptions options, const PartPlan& plan,
                                                     std::string_view prefix, std::uint64_t start) {
  if (prefix.empty() || prefix.size() != plan.prefix_bytes || prefix.back() != '\n' || start < plan.prefix_bytes) {
    return Error{
        ErrorCode::InvalidArgument,
        "a part needs the file's first bytes as the plan says, ending with a line feed, and a start after them"};
  }
  options.as_of = plan.as_of;
  // The list's decisions, not the part's own: its bytes may hold what a file's start may not.
  options.csv.delimiter = plan.delimiter;
  options.csv.encoding = TextEncoding::Utf8;
  options.rows_from_line = plan.prefix_lines;
  std::unique_ptr<ScoredList> list(
      new ScoredList(std::move(model), std::move(options), std::make_shared<NotReadBack>()));
  list->part_of_ = PartOf{plan, start};
  list->expected_bytes_ = plan.list_bytes;
  list->summary_ = Summary(std::numeric_limits<std::size_t>::max());
  Status status = list->feed(prefix);
  if (!status.ok()) return status.error();
  return list;
}

std::optional<PartPlan> ScoredList::part_plan() const {
  if (part_of_ || !session_ || !session_->scorer()) return std::nullopt;
  const CsvFormat& format = session_->format();
  if (format.encoding != TextEncoding::Utf8 || format.invalid_utf8_bytes > 0 || rows_.keeps_text() ||
      rows_.size() <= options_.sample_rows) {
    return std::nullopt;
  }
  PartPlan plan;
  plan.prefix_bytes = rows_.offset(options_.sample_rows);
  plan.prefix_lines = rows_.line(options_.sample_rows);
  plan.as_of = session_->scorer()->as_of();
  plan.delimiter = format.delimiter;
  plan.fields = session_->mapping().headers().size();
  plan.list_bytes = expected_bytes_;
  return plan;
}

bool ScoredList::at_record_boundary() const noexcept { return session_ && session_->reader().at_record_boundary(); }

Result<std::string> ScoredList::pack_part() const {
  if (!part_of_ || !finished_) return Error{ErrorCode::InvalidArgument, "only a finished part of a list is packed"};
  if (format_.encoding != TextEncoding::Utf8 || rows_.keeps_text()) {
    return Error{ErrorCode::InvalidArgument, "the part was not read as UTF-8 like its list: the list reads it itself"};
  }
  const PartPlan& plan = part_of_->plan;
  const std::uint64_t start = part_of_->start;
  const std::size_t n = figures_.size();
  const bool keys = keys_ && keys_->valid() && keys_->rows() == n;
  PartWriter w;
  w.out.reserve(64 + n * (sizeof(Packed) + 12) + (keys ? keys_->bytes() : 0));
  w.put(kPartMagic);
  w.put<std::uint64_t>(start);
  w.put<std::uint64_t>(start + (static_cast<std::uint64_t>(bytes_) - plan.prefix_bytes));
  w.put<std::int64_t>(plan.prefix_lines);
  w.put<std::int64_t>(end_line_);
  w.put<std::int64_t>(format_.invalid_utf8_bytes);
  w.put_text(summary_.state().dump());
  w.put<std::uint64_t>(n);
  w.put_array(figures_.data(), n);
  w.put<std::uint64_t>(n);
  for (std::size_t i = 0; i < n; ++i) w.put<std::uint64_t>(rows_.offset(i) - plan.prefix_bytes + start);
  w.put<std::uint64_t>(n);
  for (std::size_t i = 0; i < n; ++i) w.put<std::uint32_t>(static_cast<std::uint32_t>(rows_.line(i)));
  w.put<std::uint8_t>(keys);
  if (keys) {
    // Per column (the sources last): the texts, then every row's id among them, one or two bytes.
    w.put<std::uint64_t>(keys_->columns());
    for (std::size_t k = 0; k <= keys_->columns(); ++k) {
      const bool sources = k == keys_->columns();
      const std::size_t count = sources ? keys_->source_count() : keys_->texts(k).size();
      w.put<std::uint64_t>(count);
      for (std::size_t t = 0; t < count; ++t) {
        w.put_text(sources ? keys_->source_text(static_cast<std::uint32_t>(t)) : std::string_view(keys_->texts(k)[t]));
      }
      const Scorer::KeyIds ids = keys_->ids(k).from(0);
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

Status ScoredList::join_part(std::string_view packed) {
  if (part_of_ || finished_ || !session_ || !session_->scorer()) {
    return Error{ErrorCode::InvalidArgument, "a part is joined to a list being read, once its mapping is decided"};
  }
  if (!session_->reader().at_record_boundary()) {
    return Error{ErrorCode::InvalidArgument, "the list's bytes do not end between two records: it reads on itself"};
  }
  const Error malformed{ErrorCode::InvalidArgument, "not a packed part of a list"};
  PartReader r(packed);
  if (r.get<std::uint64_t>() != kPartMagic) return malformed;
  const auto start = r.get<std::uint64_t>();
  const auto end = r.get<std::uint64_t>();
  const auto prefix_lines = r.get<std::int64_t>();
  const auto end_line = r.get<std::int64_t>();
  const auto invalid_utf8 = r.get<std::int64_t>();
  if (start != static_cast<std::uint64_t>(bytes_read()) || end < start) {
    return Error{ErrorCode::InvalidArgument, "the part does not start where the list's bytes end"};
  }
  auto summary = Summary::from_state(nlohmann::json::parse(r.get_text(), nullptr, false));
  if (!summary.ok()) return malformed;
  // Everything is checked before anything changes; the ids go straight into the key cache's room
  // for them, in this list's ids, and count only once the part is joined.
  const auto n = static_cast<std::size_t>(r.get<std::uint64_t>());
  const char* figures = r.get_array<Packed>(n);
  const char* offsets = r.get_array<std::uint64_t>(n);
  const char* lines = r.get_array<std::uint32_t>(n);
  Scorer& scorer = *session_->scorer();
  bool keys_fit = r.get<std::uint8_t>() != 0 && keys_ && keys_->valid() && keys_->reserve(keys_->rows() + n);
  if (keys_fit) {
    if (r.get<std::uint64_t>() != scorer.key_columns()) return malformed;
    std::vector<std::uint16_t> id_of;
    for (std::size_t k = 0; k <= scorer.key_columns() && keys_fit; ++k) {
      const auto count = r.get<std::uint64_t>();
      id_of.clear();
      std::uint16_t largest = 0;
      for (std::uint64_t t = 0; t < count && r.ok() && keys_fit; ++t) {
        const std::string_view text = r.get_text();
        const std::uint32_t id = k < scorer.key_columns() ? scorer.add_key(k, text) : keys_->source_id_of(text);
        keys_fit = id <= KeyCache::kMaxId;
        id_of.push_back(static_cast<std::uint16_t>(id));
        largest = std::max(largest, id_of.back());
      }
      if (!keys_fit) break;  // the keys are the pack's last part: the rest of it is not needed
      const auto width = r.get<std::uint8_t>();
      const char* ids = width == 1 ? r.get_array<std::uint8_t>(n) : r.get_array<std::uint16_t>(n);
      if (!r.ok() || (width != 1 && width != 2)) return malformed;
      // The part's ids of this column, one or two bytes each (little-endian, like every figure).
      const auto join = [&](auto id_at) {
        std::size_t above = 0;
        for (std::size_t i = 0; i < n; ++i) above |= id_at(i) >= id_of.size();
        if (above) return false;
        keys_fit = keys_->set_range(k, keys_->rows(), n, largest, [&](std::size_t i) { return id_of[id_at(i)]; });
        return true;
      };
      const bool well_formed = width == 1 ? join([&](std::size_t i) { return static_cast<unsigned char>(ids[i]); })
                                          : join([&](std::size_t i) {
                                              std::uint16_t id;
                                              std::memcpy(&id, ids + 2 * i, 2);
                                              return id;
                                            });
      if (!well_formed) return malformed;
    }
  }
  if (!r.ok()) return malformed;

  // The list's own rows and issues so far first, then the part's: the summary stays in file order.
  if (by_keys_) score_batch(scorer);
  summary_.merge(session_->take_summary());
  const std::int64_t line_shift = session_->reader().line() - prefix_lines;
  rows_.reserve(rows_.size() + n);
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t offset;
    std::uint32_t line;
    std::memcpy(&offset, offsets + i * sizeof offset, sizeof offset);
    std::memcpy(&line, lines + i * sizeof line, sizeof line);
    rows_.add(offset, line + line_shift);
  }
  const std::size_t before = figures_.size();
  figures_.resize(before + n);
  std::memcpy(static_cast<void*>(figures_.data() + before), figures, n * sizeof(Packed));
  if (keys_fit) {
    keys_->commit(n);
  } else if (keys_ && keys_->valid()) {
    keys_->give_up();
    by_keys_ = false;
  }
  scored_ = figures_.size();
  summary.value().shift_lines(line_shift);
  summary_.merge(summary.value());
  session_->reader().skip(end - start, end_line - prefix_lines);
  joined_invalid_utf8_ += invalid_utf8;
  cache_.reset();
  return Ok{};
}

bool ScoredList::keys_will_not_fit() const {
  // Checked once, on the first rows (the row being added is in rows_ but not yet in figures_).
  constexpr std::size_t kRowsToEstimate = 16384;
  const std::size_t rows = figures_.size() + 1;
  if (expected_bytes_ == 0 || rows != kRowsToEstimate || rows_.size() != rows) return false;
  const std::uint64_t row_bytes = std::max<std::uint64_t>(1, (rows_.offset(rows - 1) - rows_.offset(0)) / (rows - 1));
  return !keys_->fits(expected_bytes_ / row_bytes);
}

bool ScoredList::keys_cached() const noexcept { return keys_ && keys_->valid(); }

Result<std::size_t> ScoredList::rescore(ScoringModel model) {
  if (!finished_) return Error{ErrorCode::InvalidArgument, "the list is still being read"};
  std::vector<Error> ignored;  // the header's issues were reported when the list was read
  auto next_model = std::make_unique<ScoringModel>(std::move(model));
  mapping_ = build_mapping(unique_header_names(header_, ignored), sample_, *next_model, options_.mapping_overrides);
  scorer_ = std::make_unique<Scorer>(*next_model, mapping_, resolve_as_of(options_, *next_model));
  model_ = std::move(next_model);
  return score_all();
}

Result<std::size_t> ScoredList::remap(std::map<std::string, std::string> overrides) {
  if (!finished_) return Error{ErrorCode::InvalidArgument, "the list is still being read"};
  for (const auto& [field, header] : overrides) {
    if (!find_field(field) && !model_->columns.count(field)) {
      return Error{ErrorCode::InvalidArgument, "unknown lead field \"" + field + "\""};
    }
    if (!header.empty() && mapping_.column_of("column:" + header) < 0) {
      return Error{ErrorCode::InvalidArgument, "the list has no column \"" + header + "\""};
    }
  }
  options_.mapping_overrides = std::move(overrides);
  return rescore(*model_);
}

Result<ListPage> ScoredList::query(const ListQuery& q) {
  if (!finished_ && by_keys_ && session_ && session_->scorer()) score_batch(*session_->scorer());
  const auto same_key = [&](const ListQuery& a) {
    return a.sort == q.sort && a.column == q.column && a.descending == q.descending &&
           a.temperatures == q.temperatures && a.search == q.search;
  };
  // While the list is being read, the rows scored so far (all but the last, whose end is not
  // known yet) can be paged by figures: the page shows the first results at once.
  const std::size_t known = finished_ ? figures_.size() : std::min(scored_, figures_.empty() ? 0 : figures_.size() - 1);
  if (!finished_ && (!trim(q.search).empty() || q.sort == ListQuery::Sort::Column)) {
    return Error{ErrorCode::InvalidArgument, "searching and sorting by a column wait until the whole list is read"};
  }
  if (!cache_ || !same_key(cache_->key) || cache_->generation != known) {
    cache_.reset();  // not held beside the new one (up to 4 bytes a lead)
    auto cache = std::make_unique<QueryCache>();
    cache->key = q;
    cache->generation = known;
    auto& order = cache->order;
    const auto kept = [&](std::size_t i) { return (q.temperatures >> figures_[i].temperature) & 1u; };
    const std::string needle = to_lower_ascii(trim(q.search));
    if (needle.empty()) {
      order.reserve(known);
      for (std::size_t i = 0; i < known; ++i) {
        if (kept(i)) order.push_back(static_cast<std::uint32_t>(i));
      }
    } else {
      const auto found = rows_containing(needle);
      if (!found.ok()) return found.error();
      for (const std::uint32_t i : *found.value()) {
        if (kept(i)) order.push_back(i);
      }
    }
    constexpr std::size_t kMaxTenths = 1000;
    switch (q.sort) {
      case ListQuery::Sort::Row:
        if (q.descending) std::reverse(order.begin(), order.end());
        break;
      case ListQuery::Sort::Score:
        counting_sort(
            order, [&](std::size_t i) { return figures_[i].score; }, kMaxTenths, q.descending);
        break;
      case ListQuery::Sort::Fit:
        counting_sort(
            order, [&](std::size_t i) { return figures_[i].fit; }, kMaxTenths, q.descending);
        break;
      case ListQuery::Sort::Engagement:
        counting_sort(
            order, [&](std::size_t i) { return figures_[i].engagement; }, kMaxTenths, q.descending);
        break;
      case ListQuery::Sort::Temperature:
        counting_sort(
            order, [&](std::size_t i) { return figures_[i].temperature * (kMaxTenths + 1) + figures_[i].score; },
            3 * (kMaxTenths + 1) - 1, q.descending);
        break;
      case ListQuery::Sort::Column: {
        const auto ranked = column_order(q.column);
        if (!ranked.ok()) return ranked.error();
        const ColumnOrder& column = *ranked.value();
        // Empty cells last both ways; equal cells in row order.
        counting_sort(
            order,
            [&](std::size_t i) {
              const std::uint32_t place = column.place[i];
              return place == kNoPlace ? column.places : q.descending ? column.places - 1 - place : place;
            },
            column.places, false);
        break;
      }
    }
    cache_ = std::move(cache);
  }
  ListPage page;
  page.matches = cache_->order.size();
  const std::size_t begin = std::min(q.offset, page.matches);
  const std::size_t end = std::min(page.matches, begin + q.limit);
  page.rows.assign(cache_->order.begin() + static_cast<std::ptrdiff_t>(begin),
                   cache_->order.begin() + static_cast<std::ptrdiff_t>(end));
  return page;
}

Result<nlohmann::ordered_json> ScoredList::explain(std::size_t index) const {
  if (!finished_) return Error{ErrorCode::InvalidArgument, "the list is still being read"};
  CsvRecord row;
  Status status = rows_.read(index, row);
  if (!status.ok()) return status.error();
  // A scorer of its own: explaining a lead tries changes to it, which the list's scores never see.
  Scorer scorer(*model_, mapping_, scorer_->as_of());
  ScoreResult result;
  scorer.score(row, result);
  nlohmann::ordered_json j = explain_lead(scorer, result, header_, row);
  j["row"] = index;
  return j;
}

Status ScoredList::export_csv(const ScoredCsvWriter::Output& output, const CsvWriterOptions& options,
                              const std::function<void(std::size_t rows)>& progress, std::size_t first,
                              std::size_t end) const {
  if (!finished_) return Error{ErrorCode::InvalidArgument, "the list is still being read"};
  end = std::min(end, figures_.size());
  if (first > 0 && first >= end) return Ok{};
  constexpr std::size_t kProgressRows = 1u << 14;
  CsvWriterOptions writer_options = options;
  writer_options.byte_order_mark = options.byte_order_mark && first == 0;
  ScoredCsvWriter writer(output, writer_options);
  Scorer scorer(*model_, mapping_, scorer_->as_of());  // its own caches, as a part written elsewhere has
  if (first == 0) {
    writer.on_header(header_, scorer);
  } else {
    writer.continue_after_header(header_.size());
  }
  ScoreResult result;
  // Read up to the next row only: a range's export reads no more of the file than its rows.
  const std::uint64_t until = end < rows_.size() ? rows_.offset(end) : UINT64_MAX;
  Status status = first < end ? rows_.scan(
                                    first,
                                    [&](std::size_t i, const CsvRecord& row) {
                                      scorer.score(row, result, writer.detail());
                                      writer.on_row(row, result, scorer);
                                      if (progress && (i + 1 - first) % kProgressRows == 0) progress(i + 1 - first);
                                      return i + 1 < end;
                                    },
                                    until)
                              : Status(Ok{});
  if (!status.ok()) return status;
  writer.flush();
  return Ok{};
}

std::optional<ExportPlan> ScoredList::export_plan(const std::vector<std::uint64_t>& cuts) const {
  if (!finished_ || format_.encoding != TextEncoding::Utf8 || format_.invalid_utf8_bytes > 0 || rows_.keeps_text()) {
    return std::nullopt;
  }
  ExportPlan plan;
  plan.as_of = scorer_->as_of();
  plan.delimiter = format_.delimiter;
  plan.headers = mapping_.headers();
  plan.matches = mapping_.matches();
  std::size_t row = 0;
  for (const std::uint64_t cut : cuts) {
    // The first row that starts at or after the cut; each part at least one row.
    std::size_t low = row + 1, high = rows_.size();
    while (low < high) {
      const std::size_t mid = low + (high - low) / 2;
      if (rows_.offset(mid) < cut)
        low = mid + 1;
      else
        high = mid;
    }
    if (low >= rows_.size()) return std::nullopt;
    row = low;
    if (!plan.parts.empty()) plan.parts.back().end = rows_.offset(row);
    plan.parts.push_back(ExportPlan::Part{row, rows_.offset(row), static_cast<std::uint64_t>(bytes_)});
  }
  if (plan.parts.empty()) return std::nullopt;
  return plan;
}

nlohmann::ordered_json ScoredList::summary_json() const {
  const Scorer* scorer = finished_ ? scorer_.get() : (session_ ? session_->scorer() : nullptr);
  const ColumnMapping& mapping = finished_ || !session_ ? mapping_ : session_->mapping();
  Summary summary = summary_;
  if (!finished_ && session_) summary.merge(session_->summary());
  const CsvFormat& format = finished_ || !session_ ? format_ : session_->format();
  return list_summary_json(summary, format, bytes_read(), mapping, *model_, scorer);
}

std::size_t ScoredList::memory_bytes() const noexcept {
  return rows_.bytes() + figures_.capacity() * sizeof(Packed) + (keys_ ? keys_->bytes() : 0);
}

nlohmann::ordered_json explain_single_lead(const ScoringModel& model,
                                           const std::vector<std::pair<std::string, std::string>>& fields,
                                           std::int32_t as_of) {
  CsvRecord header, row;
  // A canonical field name maps to itself; any other name goes through the synonyms.
  ColumnOverrides overrides = model.columns;
  for (const auto& [name, value] : fields) {
    header.push_back(name);
    row.push_back(value);
    if (find_field(name)) overrides[name].insert(overrides[name].begin(), name);
  }
  row.set_line(1);
  std::vector<Error> ignored;
  const ColumnMapping mapping = map_columns(unique_header_names(header, ignored), {row}, overrides, model.missing);
  Scorer scorer(model, mapping, as_of);
  ScoreResult result;
  scorer.score(row, result);
  nlohmann::ordered_json j = explain_lead(scorer, result, header, row);
  j.erase("line");
  return j;
}

}  // namespace leadscore
