#pragma once
/// Every row's key id per column the model reads (and its lead source), with the keys' texts: a
/// list re-scores from them without reading a row (Scorer::score_key_columns).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "detail/interner.hpp"
#include "leadscore/scorer.hpp"

namespace leadscore::detail {

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
    const bool widens = widen_for(id);  // always wide from here on
    two_[row] = id;
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
/// ids hold or the ids would pass the budget (the list then re-reads its rows to re-score).
class KeyCache {
 public:
  static constexpr std::uint32_t kMaxId = 0xFFFE;

  /// `budget_bytes`: the most the ids may take.
  KeyCache(const Scorer& scorer, std::int64_t source_column, std::size_t budget_bytes)
      : budget_bytes_(budget_bytes), source_column_(source_column) {
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
    if (widened && ids_bytes() > budget_bytes_) return false;
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
  bool fits(std::uint64_t rows) const noexcept { return rows <= budget_bytes_ / row_bytes(); }

 private:
  std::size_t budget_bytes_;
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
    const std::size_t rows = std::min(std::max({2 * rows_, std::size_t{1} << 16, needed}), budget_bytes_ / row_bytes());
    if (rows < needed) return false;
    for (auto& ids : ids_) ids.resize(rows);
    return true;
  }

  std::vector<KeyIds> ids_;  // per column, room for rows (rows_ of them used)
  std::size_t rows_ = 0;
  std::vector<std::vector<std::string>> texts_;
  Interner sources_{kMaxId + 1, 1u << 20};
  bool valid_ = true;
};

}  // namespace leadscore::detail
