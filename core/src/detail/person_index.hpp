#pragma once
// The people of a list, found in one pass over its rows: each row's person (people.hpp says who),
// whether it repeats an earlier row of that person cell for cell (such a row counts once when a
// person's rows are merged), and each person's rows. About 20 bytes a row and the key's text a
// person: the CLI's memory per lead when it merges people.

#include <cstdint>
#include <unordered_set>
#include <vector>

#include "detail/interner.hpp"
#include "leadscore/csv_reader.hpp"
#include "leadscore/people.hpp"

namespace leadscore::detail {

class PersonIndex {
 public:
  /// The person of a row that has no key: a person of its own.
  static constexpr std::uint32_t kAlone = 0xFFFFFFFFu;

  /// Adds the next row (rows are numbered 0, 1, 2... in the order added).
  void add(const PersonKey& key, const CsvRecord& row) {
    const auto row_number = static_cast<std::uint32_t>(person_.size());
    if (key.kind == IdentityKind::None) {
      person_.push_back(kAlone);
      repeats_.push_back(false);
      return;
    }
    key_text_.assign(1, static_cast<char>('0' + static_cast<int>(key.kind)));
    key_text_ += key.text;
    bool added = false;
    const std::uint32_t person = keys_.intern(key_text_, added);
    const std::uint64_t hash = row_hash(row);
    if (added) {
      first_row_.push_back(row_number);
      first_hash_.push_back(hash);
      rows_.push_back(1);
      person_.push_back(person);
      repeats_.push_back(false);
      return;
    }
    ++rows_[person];
    if (rows_[person] == 2) ++duplicated_;
    // Identical to the person's first row, or to one of their later rows already seen.
    const bool repeat = hash == first_hash_[person] || !later_hashes_.insert(hash ^ mix(person)).second;
    person_.push_back(person);
    repeats_.push_back(repeat);
  }

  std::size_t rows() const noexcept { return person_.size(); }
  /// People with a key (rows without one are not counted here: each is a person of its own).
  std::size_t people() const noexcept { return first_row_.size(); }
  /// People with more than one row.
  std::size_t duplicated_people() const noexcept { return duplicated_; }
  std::uint32_t person_of(std::size_t row) const noexcept { return person_[row]; }
  /// The first row of the row's person (the row itself when it has no key).
  std::size_t first_row_of(std::size_t row) const noexcept {
    return person_[row] == kAlone ? row : first_row_[person_[row]];
  }
  std::uint32_t rows_of(std::uint32_t person) const noexcept { return rows_[person]; }
  /// Whether the row repeats an earlier row of its person cell for cell.
  bool repeats(std::size_t row) const noexcept { return repeats_[row]; }

 private:
  // A row's cells, told apart from other rows' with their boundaries ("a","bc" is not "ab","c").
  static std::uint64_t row_hash(const CsvRecord& row) {
    std::uint64_t h = hash_text(row.text());
    for (std::size_t i = 0; i < row.size(); ++i) h = (h ^ row.cell_end(i)) * 0x9E3779B97F4A7C15ull;
    return h ^ row.size();
  }
  static std::uint64_t mix(std::uint32_t person) { return (person + 1) * 0xC4CEB9FE1A85EC53ull; }

  BasicInterner<true> keys_{BasicInterner<true>::kUnlimited, BasicInterner<true>::kUnlimited};
  std::string key_text_;
  std::vector<std::uint32_t> person_;      // per row
  std::vector<bool> repeats_;              // per row
  std::vector<std::uint32_t> first_row_;   // per person
  std::vector<std::uint64_t> first_hash_;  // per person: their first row's cells
  std::vector<std::uint32_t> rows_;        // per person
  std::unordered_set<std::uint64_t> later_hashes_;  // a person's later rows' cells, with the person mixed in
  std::size_t duplicated_ = 0;
};

}  // namespace leadscore::detail
