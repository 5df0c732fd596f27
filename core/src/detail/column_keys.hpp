#pragma once
/// The scorer's cache for one column the model reads: each distinct key of the column (the cell,
/// or only what its rules can see) gets an id, and what each of its rules makes of the key
/// (rules::outcome) and each decay's factor (rules::decay_factor) are worked out once per key.
/// Rows then look their key up instead of reading their cell again, and a list keeps every row's
/// key id to re-score without reading the file (Scorer::score_key_columns).

#include <algorithm>
#include <bitset>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "detail/interner.hpp"
#include "detail/phrase_set.hpp"
#include "leadscore/scorer.hpp"
#include "rules.hpp"

namespace leadscore::detail {

/// A set of domains, asked about every row's email domain and the domains above it. Most are in
/// no set: a 4,096-bit filter on size and first and last letters answers them without hashing.
class DomainSet {
 public:
  void insert(std::string_view domain);
  bool contains(std::string_view domain) const;
  /// Whether `domain` or a domain it is under (mail.acme.com: acme.com, com) is in the set.
  bool contains_or_under(std::string_view domain) const;

 private:
  static std::size_t filter_bit(std::string_view d) noexcept;
  Interner domains_;
  std::bitset<4096> filter_;
};

class ColumnKeys {
 public:
  using KeyKind = Scorer::KeyKind;
  static constexpr std::uint32_t kNoId = Scorer::kNoId;

  /// `missing` and `as_of`: the model's missing-value words and the day rules count from.
  ColumnKeys(std::int64_t column, const MissingValues& missing, std::int32_t as_of);

  /// A rule that reads the column; returns its slot among them.
  std::size_t add_rule(const rules::BoundRule& rule);
  /// A decay dated by the column; returns its slot among them (the same decay once).
  std::size_t add_decay(const Decay* decay);
  /// Once every rule and decay is in: how the column's cells are keyed.
  void decide();

  std::int64_t column() const noexcept { return column_; }
  Scorer::ColumnKey key() const noexcept { return Scorer::ColumnKey{column_, kind_, fingerprint_}; }
  std::size_t size() const noexcept { return keys_.size(); }
  std::string_view text(std::uint32_t id) const noexcept { return keys_.text(id); }

  /// A row's cell (trimmed) as the column keys it: its key's id (kNoId when the keys are full),
  /// and what its rules make of it and its decays' factors.
  struct Read {
    std::uint32_t id;
    const rules::Outcome* outcomes;
    const double* factors;
  };
  Read read(std::string_view cell);
  /// Gives `key` (a key text of a column with the same ColumnKey) its id.
  std::uint32_t add(std::string_view key);

  /// What the rule in `slot` makes of key `id`, and the factor of the decay in `slot`.
  const rules::Outcome& outcome(std::uint32_t id, std::size_t slot) const noexcept {
    return outcomes_[id * rules_.size() + slot];
  }
  double factor(std::uint32_t id, std::size_t slot) const noexcept { return factors_[id * decays_.size() + slot]; }

 private:
  /// The key of an EmailDomain cell (not missing): its validity and domain, or kUnlisted's.
  std::string_view email_key(std::string_view cell, std::uint32_t*& known_id);
  /// Room for key `id`, new, and what its rules make of it.
  void work_out_new(std::uint32_t id, std::string_view key);
  /// What each rule makes of `key` (with_points: and its points) and each decay's factor.
  void work_out(std::string_view key, rules::Outcome* outcomes, double* factors, bool with_points = true);
  /// A cell's key made of what each rule makes of it (kRewritten and a byte per rule).
  std::string_view outcome_key(std::string_view cell);
  void read_outcome_key(std::string_view states, rules::Outcome* outcomes) const;
  /// What the rules tell cells apart by, as a fingerprint (a Text column keyed by outcomes).
  std::uint64_t conditions_fingerprint() const;

  std::int64_t column_;
  const MissingValues& missing_;
  std::int32_t as_of_;
  KeyKind kind_ = KeyKind::Text;
  std::uint64_t fingerprint_ = 0;  // see Scorer::ColumnKey
  std::vector<const rules::BoundRule*> rules_;
  std::vector<const Decay*> decays_;
  std::vector<PhraseSet> phrases_;  // the ContainsAny phrases, 64 slots to a set, each found in one pass

  Interner keys_;
  std::vector<rules::Outcome> outcomes_;          // rules_.size() per key
  std::vector<double> factors_;                   // decays_.size() per key
  std::vector<rules::Outcome> scratch_outcomes_;  // for a cell the full keys cannot take
  std::vector<double> scratch_factors_;
  rules::Cell cell_;  // the cell being worked out
  std::string key_;   // a key that is not the cell

  // EmailDomain: a domain none of the rules lists (nor one above it) is keyed as kUnlisted: a
  // list's ten thousand company domains make a handful of keys.
  DomainSet listed_;
  bool keys_unlisted_ = false;                      // false when kUnlisted itself is listed
  std::uint32_t unlisted_ids_[2] = {kNoId, kNoId};  // the ids of "@@" and "x@" + kUnlisted, once given
  // Text: past kCellKeys distinct cells, a new cell is keyed by what its rules make of it.
  bool by_outcomes_ = false;
  std::size_t most_cells_ = static_cast<std::size_t>(-1);  // kCellKeys when by_outcomes_
  bool rewrites_ = false;                                  // keys may start with kRewritten
};

// Inline: every row reads every key column.
inline ColumnKeys::Read ColumnKeys::read(std::string_view key) {
  std::uint32_t* known_id = nullptr;  // the id of a key most rows share, once it has one
  // The key stands for the cell: every rule of the column reads it as it reads the cell.
  if (rewrites_ && !key.empty() && key.front() == Scorer::kRewritten) {  // a cell that looks rewritten: made so
    key_ = Scorer::kRewritten;
    key_ += key;
    key = key_;
  } else if (kind_ == KeyKind::Date) {
    // "2024-01-15 10:23" or Unix seconds: the day alone, so that a time on each row does not
    // make each row's key new. Short dates ("2024-01-15", "01/15/2024") are days already.
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };
    if (key.size() > 10 || (key.size() == 10 && std::all_of(key.begin(), key.end(), digit))) {
      // Every day parse_date gives (1800-2300) is written YYYY-MM-DD and read back the same.
      if (const auto day = parse_date(key)) {
        key_ = Scorer::kRewritten;
        key_ += format_date(*day);
        key = key_;
      }
    }
  } else if (kind_ != KeyKind::Text) {
    if (missing_.is_missing(key)) {
      key = {};
    } else if (kind_ == KeyKind::Presence) {
      key = "x";
    } else {
      key = email_key(key, known_id);
    }
  }
  bool added = false;
  std::uint32_t id = known_id && *known_id != kNoId ? *known_id : keys_.intern(key, added, most_cells_);
  if (id == kNoId && by_outcomes_) {  // a new cell past kCellKeys
    key = outcome_key(key);
    id = keys_.intern(key, added);
  }
  if (known_id) *known_id = id;
  if (id == kNoId) {
    work_out(key, scratch_outcomes_.data(), scratch_factors_.data());
    return Read{id, scratch_outcomes_.data(), scratch_factors_.data()};
  }
  if (added) work_out_new(id, key);
  return Read{id, outcomes_.data() + id * rules_.size(), factors_.data() + id * decays_.size()};
}

}  // namespace leadscore::detail
