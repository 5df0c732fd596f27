// The column path: many leads scored at once from their cached key ids, rule by rule over all rows
// (how a list is scored while it is read, and re-scored after a model change), with the same
// rules (rules.hpp) as the row path.
#include <algorithm>
#include <climits>
#include <cstring>

#include "detail/column_keys.hpp"
#include "detail/interner.hpp"
#include "leadscore/scorer.hpp"
#include "rules.hpp"

namespace leadscore {

namespace {

/// `f(ids)` with the column's ids as they are stored: one byte or two each.
template <class F>
void with_ids(const Scorer::KeyIds& ids, F&& f) {
  if (ids.two) {
    f(ids.two);
  } else {
    f(ids.one);
  }
}

}  // namespace

void Scorer::add_axis_columns(const std::vector<rules::BoundRule>& rules, const std::vector<CachedRule>& cached,
                              std::size_t rows, const std::vector<KeyIds>& ids, std::vector<std::int64_t>& sums) const {
  constexpr std::int64_t kNoPoints = INT64_MIN;
  constexpr std::size_t kMaxPairs = 1u << 18;
  sums.assign(rows, 0);
  std::vector<std::vector<std::int64_t>> best(groups_);  // per group, per row: its best hit
  std::vector<std::int64_t> table;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const rules::BoundRule& rule = rules[i];
    if (rule.column < 0) continue;
    const CachedRule& c = cached[i];
    const detail::ColumnKeys& column = *columns_[c.column];
    std::vector<std::int64_t>* group = nullptr;
    if (rule.group >= 0) {
      group = &best[static_cast<std::size_t>(rule.group)];
      if (group->empty()) group->assign(rows, kNoPoints);
    }
    // No hit adds nothing to a sum and loses to any hit of a group: the loops below need no branch.
    const std::int64_t none = group ? kNoPoints : 0;
    const bool by_date = rule.decay && rule.decay_column >= 0;
    const detail::ColumnKeys* dates_column = by_date ? columns_[c.decay_column].get() : nullptr;
    const std::size_t keys = column.size();
    const std::size_t dates = dates_column ? dates_column->size() : 1;
    // A rule's points depend on the row's key and, when they decay, on its activity date's key:
    // worked out once per (key, date) pair, then looked up row by row.
    auto points_of = [&](std::size_t key, std::size_t date) {
      const rules::Outcome& o = column.outcome(static_cast<std::uint32_t>(key), rule.slot);
      if (!o.matched) return none;
      const double activity = !rule.decay    ? 1
                              : dates_column ? dates_column->factor(static_cast<std::uint32_t>(date), c.decay_slot)
                                             : rule.decay->missing_date_factor;
      return rules::hit_tenths(o, rules::hit_factor(rule, o, activity));
    };
    auto add = [&](auto&& points_of_row) {
      if (group) {
        std::int64_t* g = group->data();
        for (std::size_t row = 0; row < rows; ++row) {
          const std::int64_t p = points_of_row(row);
          g[row] = rules::beats(p, g[row]) ? p : g[row];
        }
      } else {
        std::int64_t* sum = sums.data();
        for (std::size_t row = 0; row < rows; ++row) sum[row] += points_of_row(row);
      }
    };
    // A table pays when it is smaller than the rows it serves (a small batch looks points up).
    const bool pairs = by_date && keys * dates <= std::min(kMaxPairs, rows);
    if (!by_date && keys <= rows) {
      table.resize(keys);
      for (std::size_t key = 0; key < keys; ++key) table[key] = points_of(key, 0);
    } else if (pairs) {
      table.resize(keys * dates);
      for (std::size_t key = 0; key < keys; ++key) {
        for (std::size_t date = 0; date < dates; ++date) table[key * dates + date] = points_of(key, date);
      }
    }
    with_ids(ids[c.column], [&](const auto* id) {
      if (!by_date && keys <= rows) {
        add([&](std::size_t row) { return table[id[row]]; });
      } else if (!by_date) {
        add([&](std::size_t row) { return points_of(id[row], 0); });
      } else {
        with_ids(ids[c.decay_column], [&](const auto* date_id) {
          if (pairs) {
            add([&](std::size_t row) { return table[id[row] * dates + date_id[row]]; });
          } else {
            add([&](std::size_t row) { return points_of(id[row], date_id[row]); });
          }
        });
      }
    });
  }
  for (const auto& group : best) {
    for (std::size_t row = 0; row < group.size(); ++row) {
      if (group[row] != kNoPoints) sums[row] += group[row];
    }
  }
}

void Scorer::score_key_columns(std::size_t rows, const std::vector<KeyIds>& ids, std::vector<ScoreResult>& results,
                               std::vector<std::uint32_t>& result_of_row) const {
  std::vector<std::int64_t> fit, engagement;
  add_axis_columns(fit_rules_, fit_cached_, rows, ids, fit);
  add_axis_columns(engagement_rules_, engagement_cached_, rows, ids, engagement);
  // The first disqualifier that holds, per row (0: none), rule by rule.
  std::vector<std::uint8_t> disqualified(rows, 0);
  std::vector<const Rule*> disqualifier_rules{nullptr};
  std::vector<char> holds;
  for (std::size_t i = 0; i < disqualifiers_.size(); ++i) {
    const rules::BoundRule& rule = disqualifiers_[i];
    if (rule.column < 0 || disqualifier_rules.size() > 255) continue;
    const detail::ColumnKeys& column = *columns_[disqualifiers_cached_[i].column];
    holds.resize(column.size());
    for (std::uint32_t key = 0; key < holds.size(); ++key)
      holds[key] = rules::disqualifies(column.outcome(key, rule.slot));
    const auto index = static_cast<std::uint8_t>(disqualifier_rules.size());
    disqualifier_rules.push_back(rule.rule);
    with_ids(ids[disqualifiers_cached_[i].column], [&](const auto* id) {
      for (std::size_t row = 0; row < rows; ++row) {
        if (disqualified[row] == 0 && holds[id[row]]) disqualified[row] = index;
      }
    });
  }
  // A row's result follows from its two point sums and its disqualifier: each distinct triple is
  // segmented once, in order of first sight (the interner's ids are the results' places). Most
  // triples fit in 8 bytes, which the interner compares as one word.
  detail::Interner triples(detail::Interner::kUnlimited, detail::Interner::kUnlimited);
  results.clear();
  result_of_row.resize(rows);
  for (std::size_t row = 0; row < rows; ++row) {
    char triple[2 * sizeof(std::int64_t) + 1];
    std::size_t size = sizeof(std::uint64_t);
    constexpr std::int64_t kLimit = std::int64_t{1} << 27;
    if (fit[row] >= -kLimit && fit[row] < kLimit && engagement[row] >= -kLimit && engagement[row] < kLimit) {
      const std::uint64_t packed = static_cast<std::uint64_t>(fit[row] + kLimit) << 36 |
                                   static_cast<std::uint64_t>(engagement[row] + kLimit) << 8 | disqualified[row];
      std::memcpy(triple, &packed, sizeof packed);
    } else {
      std::memcpy(triple, &fit[row], sizeof(std::int64_t));
      std::memcpy(triple + sizeof(std::int64_t), &engagement[row], sizeof(std::int64_t));
      triple[2 * sizeof(std::int64_t)] = static_cast<char>(disqualified[row]);
      size = sizeof triple;
    }
    bool added = false;
    result_of_row[row] = triples.intern(std::string_view(triple, size), added);
    if (!added) continue;
    ScoreResult& out = results.emplace_back();
    out.disqualifier = disqualifier_rules[disqualified[row]];
    out.fit = fit_template_;
    out.engagement = engagement_template_;
    rules::set_axis(out.fit, fit[row]);
    rules::set_axis(out.engagement, engagement[row]);
    rules::segment(model_.segments, out);
  }
}

}  // namespace leadscore
