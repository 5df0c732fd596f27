#include "leadscore/scorer.hpp"

#include <algorithm>
#include <bitset>
#include <cmath>
#include <cstring>
#include <ctime>
#include <limits>
#include <map>

#include <nlohmann/json.hpp>

#include "detail/setup_code.hpp"
#include "detail/text_dictionary.hpp"

namespace leadscore {

void ScoreResult::clear() {
  fit = AxisScore{};
  engagement = AxisScore{};
  total = 0;
  temperature = Temperature::Cold;
  grade.clear();
  disqualifier = nullptr;
  held_back.clear();
  hits.clear();
}

std::int32_t today_days() { return static_cast<std::int32_t>(std::time(nullptr) / 86400); }

double half_life_factor(double x) noexcept {
  if (!(x > 0)) return 1;
  if (x > 1000) return 0;
  const double whole = std::floor(x);
  // 2^-f = e^(-f ln 2) by its Taylor series: only + and *, so every platform gets the same bits.
  const double y = -(x - whole) * 0.6931471805599453;
  double term = 1, sum = 1;
  for (int k = 1; k < 24; ++k) {
    term *= y / k;
    sum += term;
  }
  return std::ldexp(sum, -static_cast<int>(whole));
}

namespace {

/// x in tenths, rounded half away from zero (the nudge puts 61.7499999, which is 61.75 after binary
/// representation error, at 61.8, as by hand).
[[gnu::noinline]] std::int64_t round_tenths_huge(double v) noexcept {
  return static_cast<std::int64_t>(std::clamp(std::round(v), -4e15, 4e15));
}

inline std::int64_t round_tenths(double x) noexcept {
  const double v = x * 10 * (1 + 1e-12);
  if (!(std::fabs(v) < 4e15)) return round_tenths_huge(v);
  // Like std::round, without a libm call: truncation and its remainder are exact here.
  const auto whole = static_cast<std::int64_t>(v);
  const double rest = v - static_cast<double>(whole);
  return rest >= 0.5 ? whole + 1 : rest <= -0.5 ? whole - 1 : whole;
}

}  // namespace

double round1(double x) noexcept { return static_cast<double>(round_tenths(x)) / 10; }

namespace {

/// `value` at one decimal from integer arithmetic (no printf), written at `out` (at most 24
/// bytes): "12.0", "-7.5"; with `sign` a leading "+" for positives; with `trim_zero` "12" rather
/// than "12.0". Returns the end.
char* write_decimal(char* out, double value, bool sign, bool trim_zero = true) noexcept {
  std::int64_t tenths = round_tenths(value);
  char buffer[24];
  char* p = buffer + sizeof buffer;  // written backwards
  const bool negative = tenths < 0;
  if (negative) tenths = -tenths;
  if (!trim_zero || tenths % 10 != 0) {
    *--p = static_cast<char>('0' + tenths % 10);
    *--p = '.';
  }
  std::int64_t whole = tenths / 10;
  do {
    *--p = static_cast<char>('0' + whole % 10);
    whole /= 10;
  } while (whole > 0);
  if (negative) {
    *--p = '-';
  } else if (sign && tenths > 0) {
    *--p = '+';
  }
  const auto size = static_cast<std::size_t>(buffer + sizeof buffer - p);
  std::memcpy(out, p, size);
  return out + size;
}

std::string format_decimal(double value, bool sign, bool trim_zero = true) {
  char buffer[24];
  return std::string(buffer, write_decimal(buffer, value, sign, trim_zero));
}

/// format_points's text at `out`.
char* write_points(char* out, double points) noexcept {
  if (round1(points) != 0) return write_decimal(out, points, true);
  *out = '0';
  return out + 1;
}

}  // namespace

char* write_score(char* out, double score) noexcept { return write_decimal(out, score, false, false); }

std::string format_score(double score) { return format_decimal(score, false, false); }

std::string format_points(double points) {
  char buffer[24];
  return std::string(buffer, write_points(buffer, points));
}

namespace {

/// The most points a rule can add (for normalising an axis by what its rules can give).
double max_positive(const Rule& rule) {
  double best = std::max(0.0, rule.missing_points.value_or(0));
  switch (rule.matcher) {
    case Matcher::PerUnit:
      // Unbounded without a cap; only allowed when the axis sets max_points (checked by the model).
      best = std::max(best, rule.per_unit > 0 ? rule.cap.value_or(std::numeric_limits<double>::infinity()) : 0);
      break;
    case Matcher::Bands:
      for (const auto& band : rule.bands) best = std::max(best, band.points);
      break;
    default: best = std::max(best, rule.points); break;
  }
  if (rule.cap) best = std::min(best, *rule.cap);
  return best;
}

}  // namespace

std::string format_number(double v) { return format_decimal(v, false); }

namespace {

/// A set of domains, asked about every row's email domain and the domains above it. Most are in
/// no list: a 4,096-bit filter on size and first and last letters answers them without hashing.
class ListedDomains {
 public:
  void insert(std::string_view domain) {
    domains_.insert(domain);
    filter_.set(filter_bit(domain));
  }
  bool contains(std::string_view domain) const {
    return filter_.test(filter_bit(domain)) && domains_.count(domain) > 0;
  }

 private:
  static std::size_t filter_bit(std::string_view d) noexcept {
    if (d.empty()) return 0;
    const auto byte = [&](std::size_t i) { return static_cast<std::size_t>(static_cast<unsigned char>(d[i])); };
    return (d.size() * 0x9E37u + byte(0) * 0x85EBu + byte(d.size() / 2) * 0xC2B3u + byte(d.size() - 1) * 0x27D5u) &
           4095u;
  }
  std::unordered_set<std::string_view> domains_;  // views of the caller's strings
  std::bitset<4096> filter_;
};

}  // namespace

/// A column's distinct texts with, per text, what each of its rules makes of it and each decay's factor.
struct Scorer::ColumnMemo {
  std::int64_t column = -1;
  KeyKind kind = KeyKind::Text;
  std::vector<const CompiledRule*> rules;  // the rules reading this column
  std::vector<const Decay*> decays;        // the decays dated by this column
  detail::TextDictionary texts;
  std::vector<Outcome> outcomes;          // rules.size() per text
  std::vector<double> factors;            // decays.size() per text
  std::vector<Outcome> scratch_outcomes;  // for a text the full dictionary cannot take
  std::vector<double> scratch_factors;
  // EmailDomain: the domains its rules list. A domain that is not one of them (nor under one)
  // is keyed as kUnlisted: a list's ten thousand company domains make a handful of keys.
  std::vector<std::string> listed_domains;  // sorted, each once
  ListedDomains listed;
  bool keys_unlisted = false;                      // false when kUnlisted itself is listed (the domains are kept)
  std::uint32_t unlisted_ids[2] = {kNoId, kNoId};  // the ids of "@@" and "x@" + kUnlisted, once given
  // The phrases of its contains_any rules, 64 slots to a set, each looked for in one pass.
  std::vector<PhraseSet> phrases;
  // Text: past kCellKeys distinct cells a new cell is keyed by its rules' outcomes.
  bool by_outcomes = false;
  std::size_t most_cells = static_cast<std::size_t>(-1);  // kCellKeys when by_outcomes
  bool rewrites = false;                                  // Date or by_outcomes: keys may start with kRewritten
  std::uint64_t fingerprint = 0;                          // ColumnKey::fingerprint
};

namespace {

/// The domain an unlisted one is keyed as: a valid one no list should hold (RFC 2606).
constexpr std::string_view kUnlisted = "unlisted.invalid";

/// An outcome key has a byte per rule, 2 + (0: no hit; 1 + the band that hit), never kRewritten.
constexpr std::size_t kMostBands = 253;

/// Whether `domain` or a domain it is under (mail.acme.com: acme.com, com) is in `listed`.
bool under_listed(std::string_view domain, const ListedDomains& listed) {
  while (!domain.empty()) {
    if (listed.contains(domain)) return true;
    const std::size_t dot = domain.find('.');
    domain = dot == std::string_view::npos ? std::string_view() : domain.substr(dot + 1);
  }
  return false;
}

}  // namespace

/// One cell's readings, each worked out at most once however many rules use it.
struct Readings {
  /// For another cell; the texts keep their buffers (a title longer than a short string's room
  /// would otherwise cost an allocation per cell worked out).
  void reset() noexcept {
    has_lower = has_quantity = has_domain = has_date = false;
    phrases_of = kNone;
  }
  bool has_lower = false, has_quantity = false, has_domain = false, has_date = false;
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::size_t phrases_of = kNone;  // which of the memo's phrase sets `phrases` is from
  std::uint64_t phrases = 0;       // bit i: the rule in slot 64 * phrases_of + i has a phrase here
  std::string lower;
  std::optional<Quantity> quantity;
  std::string domain;
  std::optional<std::int32_t> date;
};

namespace {

const std::string& lower_of(std::string_view text, Readings& r) {
  if (!r.has_lower) {
    r.lower.assign(text);
    for (char& ch : r.lower) ch = (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
    r.has_lower = true;
  }
  return r.lower;
}

const std::optional<Quantity>& quantity_of(std::string_view text, Readings& r) {
  if (!r.has_quantity) {
    r.quantity = parse_quantity(text);
    r.has_quantity = true;
  }
  return r.quantity;
}

const std::optional<std::int32_t>& date_of(std::string_view text, Readings& r) {
  if (!r.has_date) {
    r.date = parse_date(text);
    r.has_date = true;
  }
  return r.date;
}

}  // namespace

static_assert(Scorer::kNoId == detail::TextDictionary::kFull, "a key the dictionary cannot take has no id");

Scorer::~Scorer() = default;

LEADSCORE_SETUP_CODE Scorer::Scorer(const ScoringModel& model, const ColumnMapping& mapping, std::int32_t as_of)
    : model_(model), as_of_(as_of), readings_(std::make_unique<Readings>()) {
  fit_rules_ = compile(model.fit.rules, Axis::Fit, &model.fit, mapping);
  engagement_rules_ = compile(model.engagement.rules, Axis::Engagement, &model.engagement, mapping);
  disqualifiers_ = compile(model.disqualifiers, Axis::Fit, nullptr, mapping);
  link_memos();
  for (Axis axis : {Axis::Fit, Axis::Engagement}) {
    const auto& rules = axis == Axis::Fit ? fit_rules_ : engagement_rules_;
    AxisScore& t = axis == Axis::Fit ? fit_template_ : engagement_template_;
    std::map<std::string, double> group_best;
    double auto_max = 0;
    bool any_active = false;
    for (const auto& c : rules) {
      if (c.column < 0) continue;
      any_active = true;
      const double m = max_positive(*c.rule);
      if (c.rule->group.empty()) {
        auto_max += m;
      } else {
        group_best[c.rule->group] = std::max(group_best[c.rule->group], m);
      }
    }
    for (const auto& g : group_best) auto_max += g.second;
    // max_points make 100, unless the list's columns cannot give that many: then what they can.
    const auto& fixed = model_.axis(axis).max_points;
    t.max_points = fixed ? std::min(*fixed, auto_max) : auto_max;
    t.measured = any_active && t.max_points > 0;
  }
  for (const auto* list : {&fit_rules_, &engagement_rules_, &disqualifiers_}) {
    for (const auto& c : *list) {
      if (c.column < 0 &&
          std::find(absent_fields_.begin(), absent_fields_.end(), c.rule->field) == absent_fields_.end()) {
        absent_fields_.push_back(c.rule->field);
      }
    }
  }
}

LEADSCORE_SETUP_CODE
std::vector<Scorer::CompiledRule> Scorer::compile(const std::vector<Rule>& rules, Axis axis,
                                                  const AxisModel* axis_model, const ColumnMapping& mapping) {
  std::vector<CompiledRule> out;
  std::vector<std::string_view> groups;
  for (const auto& rule : rules) {
    const Decay* decay = nullptr;
    if (!rule.no_decay)
      decay = rule.decay ? &*rule.decay : (axis_model && axis_model->decay ? &*axis_model->decay : nullptr);
    CompiledRule compiled{
        &rule, axis, mapping.column_of(rule.field), decay, decay ? mapping.column_of(decay->date_field) : -1, {}};
    if (rule.matcher == Matcher::Equals || rule.matcher == Matcher::DomainIn) {
      compiled.lookup.insert(rule.texts.begin(), rule.texts.end());
    }
    if (!rule.group.empty()) {
      auto it = std::find(groups.begin(), groups.end(), std::string_view(rule.group));
      compiled.group = static_cast<int>(it - groups.begin());
      if (it == groups.end()) groups.push_back(rule.group);
      group_best_.resize(std::max(group_best_.size(), groups.size()));
    }
    out.push_back(std::move(compiled));
  }
  return out;
}

LEADSCORE_SETUP_CODE void Scorer::link_memos() {
  auto memo_of = [&](std::int64_t column) {
    for (std::size_t i = 0; i < memos_.size(); ++i) {
      if (memos_[i]->column == column) return i;
    }
    memos_.push_back(std::make_unique<ColumnMemo>());
    memos_.back()->column = column;
    return memos_.size() - 1;
  };
  for (auto* list : {&fit_rules_, &engagement_rules_, &disqualifiers_}) {
    for (auto& c : *list) {
      if (c.column < 0) continue;
      c.memo = memo_of(c.column);
      c.slot = memos_[c.memo]->rules.size();
      memos_[c.memo]->rules.push_back(&c);
      if (!c.decay || c.decay_column < 0) continue;
      c.decay_memo = memo_of(c.decay_column);
      auto& decays = memos_[c.decay_memo]->decays;
      auto it = std::find(decays.begin(), decays.end(), c.decay);
      c.decay_slot = static_cast<std::size_t>(it - decays.begin());
      if (it == decays.end()) decays.push_back(c.decay);
    }
  }
  for (auto& memo : memos_) {
    memo->scratch_outcomes.resize(memo->rules.size());
    memo->scratch_factors.resize(memo->decays.size());
    // A title read by six contains_any rules is gone through once for all of them.
    for (std::size_t first = 0; first < memo->rules.size(); first += PhraseSet::kMostSets) {
      std::vector<std::vector<std::string>> sets;  // by slot: empty for the other matchers
      for (std::size_t slot = first; slot < memo->rules.size() && slot < first + PhraseSet::kMostSets; ++slot) {
        const Rule& rule = *memo->rules[slot]->rule;
        sets.push_back(rule.matcher == Matcher::ContainsAny ? rule.texts : std::vector<std::string>());
      }
      memo->phrases.emplace_back(sets);
    }
    // A column whose rules only ask "is it there" (or an email's domain and validity) is keyed by
    // just that: a million distinct company names or addresses make a handful of keys.
    auto only = [&](std::initializer_list<Matcher> matchers) {
      return memo->decays.empty() && std::all_of(memo->rules.begin(), memo->rules.end(), [&](const CompiledRule* c) {
               return std::find(matchers.begin(), matchers.end(), c->rule->matcher) != matchers.end();
             });
    };
    const bool dates_only = std::all_of(memo->rules.begin(), memo->rules.end(), [](const CompiledRule* c) {
      return c->rule->matcher == Matcher::WithinDays || c->rule->matcher == Matcher::OlderThanDays;
    });
    if (only({Matcher::Present})) {
      memo->kind = KeyKind::Presence;
    } else if (dates_only) {
      memo->kind = KeyKind::Date;
    } else if (only({Matcher::Present, Matcher::DomainIn, Matcher::InvalidEmail})) {
      memo->kind = KeyKind::EmailDomain;
      auto& domains = memo->listed_domains;
      for (const CompiledRule* c : memo->rules) domains.insert(domains.end(), c->lookup.begin(), c->lookup.end());
      std::sort(domains.begin(), domains.end());
      domains.erase(std::unique(domains.begin(), domains.end()), domains.end());
      std::string all;
      for (const auto& domain : domains) {
        memo->listed.insert(domain);
        all.append(domain).push_back('\n');
      }
      memo->fingerprint = detail::hash_text(all) | 1;  // never 0, the other kinds' value
      memo->keys_unlisted = !under_listed(kUnlisted, memo->listed);
    }
    // A number per unit or a decay factor is not one of a few outcomes: such columns keep cells.
    memo->by_outcomes = memo->kind == KeyKind::Text && memo->decays.empty() &&
                        std::none_of(memo->rules.begin(), memo->rules.end(), [](const CompiledRule* c) {
                          return c->rule->matcher == Matcher::PerUnit || c->rule->bands.size() > kMostBands;
                        });
    if (memo->by_outcomes) {
      memo->most_cells = kCellKeys;
      memo->fingerprint = conditions_fingerprint(*memo);
    }
    memo->rewrites = memo->kind == KeyKind::Date || memo->by_outcomes;
  }
  row_outcomes_.resize(memos_.size());
  row_factors_.resize(memos_.size());
  row_ids_.resize(memos_.size());
}

Scorer::ColumnKey Scorer::column_key(std::size_t k) const noexcept {
  return ColumnKey{memos_[k]->column, memos_[k]->kind, memos_[k]->fingerprint};
}

std::size_t Scorer::key_count(std::size_t k) const noexcept { return memos_[k]->texts.size(); }

std::string_view Scorer::key_text(std::size_t k, std::uint32_t id) const noexcept { return memos_[k]->texts.text(id); }

std::uint32_t Scorer::add_key(std::size_t k, std::string_view key) const {
  bool added = false;
  const std::uint32_t id = memos_[k]->texts.intern(key, added);
  if (added) use_key(k, id, key);
  return id;
}

void Scorer::read_row(const CsvRecord& row) const {
  for (std::size_t m = 0; m < memos_.size(); ++m) {
    ColumnMemo& memo = *memos_[m];
    const auto column = static_cast<std::size_t>(memo.column);
    std::string_view key = column < row.size() ? trim(row[column]) : std::string_view();
    std::uint32_t* known_id = nullptr;  // the id of a key most rows share, once it has one
    // The canonical key stands for the cell: every rule of the column reads it as it reads the cell.
    if (memo.rewrites && !key.empty() && key.front() == kRewritten) {  // a cell that looks rewritten: made so
      key_ = kRewritten;
      key_ += key;
      key = key_;
    } else if (memo.kind == KeyKind::Date) {
      // "2024-01-15 10:23" or Unix seconds: the day alone, so that a time on each row does not
      // make each row's key new. Short dates ("2024-01-15", "01/15/2024") are days already.
      const auto digit = [](char c) { return c >= '0' && c <= '9'; };
      if (key.size() > 10 || (key.size() == 10 && std::all_of(key.begin(), key.end(), digit))) {
        // Every day parse_date gives (1800-2300) is written YYYY-MM-DD and read back the same.
        if (const auto day = parse_date(key)) {
          key_ = kRewritten;
          key_ += format_date(*day);
          key = key_;
        }
      }
    } else if (memo.kind != KeyKind::Text) {
      if (model_.missing.is_missing(key)) {
        key = {};
      } else if (memo.kind == KeyKind::Presence) {
        key = "x";
      } else {
        std::string_view domain = valid_email_domain(key);
        const bool valid = !domain.empty();
        if (!valid) domain = domain_part(key);
        const auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
        if (memo.keys_unlisted && memo.unlisted_ids[valid] != kNoId &&
            std::none_of(domain.begin(), domain.end(), upper) && !under_listed(domain, memo.listed)) {
          known_id = &memo.unlisted_ids[valid];  // most rows: an unlisted domain in lower case, its key's id known
        } else {
          key_ = valid ? "x@" : "@@";
          append_lower_ascii(domain, key_);
          if (memo.keys_unlisted && !under_listed(std::string_view(key_).substr(2), memo.listed)) {
            key_.resize(2);
            key_ += kUnlisted;
            known_id = &memo.unlisted_ids[valid];
          }
          key = key_;
        }
      }
    }
    bool added = false;
    std::uint32_t id = known_id && *known_id != kNoId ? *known_id : memo.texts.intern(key, added, memo.most_cells);
    if (id == kNoId && memo.by_outcomes) {  // a new cell past kCellKeys
      key = outcome_key(memo, key);
      id = memo.texts.intern(key, added);
    }
    if (known_id) *known_id = id;
    row_ids_[m] = id;
    if (id == detail::TextDictionary::kFull) {
      work_out(memo, key, memo.scratch_outcomes.data(), memo.scratch_factors.data());
      row_outcomes_[m] = memo.scratch_outcomes.data();
      row_factors_[m] = memo.scratch_factors.data();
      continue;
    }
    if (added) use_key(m, id, key);
    row_outcomes_[m] = memo.outcomes.data() + id * memo.rules.size();
    row_factors_[m] = memo.factors.data() + id * memo.decays.size();
  }
}

std::string_view Scorer::outcome_key(ColumnMemo& memo, std::string_view cell) const {
  if (model_.missing.is_missing(cell)) {
    key_.clear();  // "n/a" reads as the empty cell does
    return key_;
  }
  Outcome* outcomes = memo.scratch_outcomes.data();
  work_out(memo, cell, outcomes, memo.scratch_factors.data(), false);
  key_.assign(1, kRewritten);
  for (std::size_t i = 0; i < memo.rules.size(); ++i) {
    key_.push_back(static_cast<char>(2 + (outcomes[i].matched ? 1 + outcomes[i].band : 0)));
  }
  return key_;
}

void Scorer::read_outcome_key(const ColumnMemo& memo, std::string_view states, Outcome* outcomes) const {
  for (std::size_t i = 0; i < memo.rules.size(); ++i) {
    const Rule& rule = *memo.rules[i]->rule;
    const int state = i < states.size() ? static_cast<unsigned char>(states[i]) - 2 : 0;
    Outcome o;
    o.label = &rule.label;
    o.base = rule.points;
    if (state > 0) {  // as outcome() for a cell that is not missing
      o.matched = true;
      if (rule.matcher == Matcher::Bands && static_cast<std::size_t>(state - 1) < rule.bands.size()) {
        const Band& band = rule.bands[static_cast<std::size_t>(state - 1)];
        o.band = static_cast<std::uint8_t>(state - 1);
        o.base = band.points;
        if (!band.label.empty()) o.label = &band.label;
      }
      o = capped(rule, o);
    }
    outcomes[i] = o;
  }
}

std::uint64_t Scorer::conditions_fingerprint(const ColumnMemo& memo) const {
  std::string all;
  const auto put = [&](const auto& value) { all.append(reinterpret_cast<const char*>(&value), sizeof value); };
  const auto put_bound = [&](const std::optional<double>& bound) { put(bound ? *bound : std::nan("")); };
  const auto put_texts = [&](const std::vector<std::string>& texts) {
    put(texts.size());
    for (const auto& text : texts) put(text.size()), all.append(text);
  };
  bool dated = false;
  for (const CompiledRule* c : memo.rules) {
    const Rule& rule = *c->rule;
    put(rule.matcher);
    put_bound(rule.at_least);
    put_bound(rule.below);
    put(rule.bands.size());
    for (const auto& band : rule.bands) put_bound(band.at_least), put_bound(band.below);
    put_texts(rule.texts);
    put(rule.is);
    put(rule.days);
    dated |= rule.matcher == Matcher::WithinDays || rule.matcher == Matcher::OlderThanDays;
  }
  put_texts(model_.missing.words());  // what a missing cell is
  if (dated) put(as_of_);
  return detail::hash_text(all) | 1;
}

void Scorer::use_key(std::size_t m, std::uint32_t id, std::string_view key) const {
  ColumnMemo& memo = *memos_[m];
  memo.outcomes.resize((id + 1) * memo.rules.size());
  memo.factors.resize((id + 1) * memo.decays.size());
  work_out(memo, key, memo.outcomes.data() + id * memo.rules.size(), memo.factors.data() + id * memo.decays.size());
}

void Scorer::work_out(const ColumnMemo& memo, std::string_view text, Outcome* outcomes, double* factors,
                      bool points) const {
  if (memo.rewrites && !text.empty() && text.front() == kRewritten) {
    text.remove_prefix(1);  // a day, a cell that starts with kRewritten, or outcomes
    if (memo.by_outcomes && !text.empty() && text.front() != kRewritten) return read_outcome_key(memo, text, outcomes);
  }
  Readings& readings = *readings_;
  readings.reset();
  const bool missing = model_.missing.is_missing(text);
  for (std::size_t i = 0; i < memo.rules.size(); ++i) {
    const Outcome o = outcome(*memo.rules[i], text, missing, readings);
    outcomes[i] = points && o.matched ? capped(*memo.rules[i]->rule, o) : o;
  }
  for (std::size_t i = 0; i < memo.decays.size(); ++i) {
    const auto& activity = date_of(text, readings);
    factors[i] = activity ? half_life_factor(std::max(0, as_of_ - *activity) / memo.decays[i]->half_life_days)
                          : memo.decays[i]->missing_date_factor;
  }
}

Scorer::Outcome Scorer::capped(const Rule& rule, Outcome o) {
  o.points = o.base;
  if (rule.cap && std::fabs(o.points) > *rule.cap) {
    o.points = o.points > 0 ? *rule.cap : -*rule.cap;
    o.capped = true;
  }
  o.rounded = round1(o.points);
  return o;
}

Scorer::Outcome Scorer::outcome(const CompiledRule& c, std::string_view text, bool missing, Readings& readings) const {
  const Rule& rule = *c.rule;
  Outcome o;
  o.label = &rule.label;
  if (missing) {
    if (!rule.missing_points) return o;
    o.base = *rule.missing_points;
    o.missing = o.matched = true;
    return o;
  }
  o.base = rule.points;
  switch (rule.matcher) {
    case Matcher::PerUnit: {
      const auto& q = quantity_of(text, readings);
      if (!q) return o;
      o.base = q->value() * rule.per_unit;
      o.matched = o.base != 0;
      break;
    }
    case Matcher::Range: {
      const auto& q = quantity_of(text, readings);
      if (!q) return o;
      const double v = q->value();
      o.matched = (!rule.at_least || v >= *rule.at_least) && (!rule.below || v < *rule.below);
      break;
    }
    case Matcher::Bands: {
      const auto& q = quantity_of(text, readings);
      if (!q) return o;
      const double v = q->value();
      for (const auto& band : rule.bands) {
        if ((!band.at_least || v >= *band.at_least) && (!band.below || v < *band.below)) {
          o.matched = true;
          o.band = static_cast<std::uint8_t>(&band - rule.bands.data());
          o.base = band.points;
          if (!band.label.empty()) o.label = &band.label;
          break;
        }
      }
      break;
    }
    case Matcher::Equals: o.matched = c.lookup.count(lower_of(text, readings)) > 0; break;
    case Matcher::ContainsAny: {
      const std::size_t set = c.slot / PhraseSet::kMostSets;
      if (readings.phrases_of != set) {
        readings.phrases = memos_[c.memo]->phrases[set].sets_found_in(lower_of(text, readings));
        readings.phrases_of = set;
      }
      o.matched = (readings.phrases >> c.slot % PhraseSet::kMostSets) & 1;
      break;
    }
    case Matcher::DomainIn: {
      if (!readings.has_domain) {
        readings.domain = domain_of(text);
        readings.has_domain = true;
      }
      // The domain, then each parent domain: mail.acme.com, acme.com, com.
      std::string_view d = readings.domain;
      while (!d.empty() && !o.matched) {
        o.matched = c.lookup.count(std::string(d)) > 0;
        const std::size_t dot = d.find('.');
        d = dot == std::string_view::npos ? std::string_view() : d.substr(dot + 1);
      }
      break;
    }
    case Matcher::Is: {
      const auto flag = parse_bool(text);
      o.matched = flag && *flag == rule.is;
      break;
    }
    case Matcher::Present: o.matched = true; break;
    case Matcher::WithinDays:
    case Matcher::OlderThanDays: {
      const auto& d = date_of(text, readings);
      if (!d) return o;
      const double age = std::max(0, as_of_ - *d);
      o.matched = rule.matcher == Matcher::WithinDays ? age <= rule.days : age > rule.days;
      break;
    }
    case Matcher::InvalidEmail: o.matched = !is_valid_email(text); break;
  }
  return o;
}

inline bool Scorer::evaluate(const CompiledRule& c, double& factor, double& points) const {
  const Outcome& o = row_outcomes_[c.memo][c.slot];
  if (!o.matched) return false;
  factor = 1;
  points = o.rounded;
  // Engagement fades: positive points shrink with the time since the lead's last activity.
  if (c.decay && o.points > 0) {
    factor = c.decay_column >= 0 ? row_factors_[c.decay_memo][c.decay_slot] : c.decay->missing_date_factor;
    points = round1(o.points * factor);
  }
  return true;
}

void Scorer::add_hit(const CompiledRule& c, double factor, double points, bool counted,
                     std::vector<RuleHit>& hits) const {
  const Outcome& o = row_outcomes_[c.memo][c.slot];
  RuleHit& hit = hits.emplace_back();  // filled in place: a hit is 64 bytes
  hit.rule = c.rule;
  hit.axis = c.axis;
  hit.label = *o.label;
  hit.base = o.base;
  hit.points = points;
  hit.decay_factor = factor;
  hit.capped = o.capped;
  hit.missing = o.missing;
  hit.counted = counted;
}

void Scorer::score_axis(const std::vector<CompiledRule>& rules, AxisScore& axis, std::vector<RuleHit>& hits,
                        Detail detail) const {
  // Per rule: 0 no hit, 1 counted, 2 beaten by a better rule of its group. In a group only the best
  // hit counts ("Director" beats "Manager" rather than adding to it); on a tie the earlier rule wins.
  rule_state_.assign(rules.size(), 0);
  rule_points_.resize(rules.size());
  rule_factors_.resize(rules.size());
  group_best_.assign(group_best_.size(), kNoHit);
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const CompiledRule& c = rules[i];
    if (c.column < 0 || !evaluate(c, rule_factors_[i], rule_points_[i])) continue;
    rule_state_[i] = 1;
    if (c.group < 0) continue;
    std::size_t& best = group_best_[static_cast<std::size_t>(c.group)];
    if (best == kNoHit) {
      best = i;
    } else if (rule_points_[i] > rule_points_[best]) {
      rule_state_[best] = 2;
      best = i;
    } else {
      rule_state_[i] = 2;
    }
  }
  double sum = 0;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (rule_state_[i] == 1) sum += rule_points_[i];
    if (detail == Detail::Full ? rule_state_[i] != 0
                               : detail == Detail::Reasons && rule_state_[i] == 1 && rule_points_[i] != 0) {
      add_hit(rules[i], rule_factors_[i], rule_points_[i], rule_state_[i] == 1, hits);
    }
  }
  set_axis(axis, round_tenths(sum));
}

void Scorer::set_axis(AxisScore& axis, std::int64_t tenths) {
  // Rule points are whole tenths, so their sum in tenths is exact whatever the order of adding.
  axis.points = static_cast<double>(tenths) / 10;
  if (!axis.measured) {
    axis.score = 0;
    return;
  }
  axis.capped = axis.points > axis.max_points;
  axis.score = round1(std::clamp(axis.points, 0.0, axis.max_points) / axis.max_points * 100);
}

void Scorer::grade_of(double fit, double engagement, std::string& grade) const {
  grade.clear();  // keeps its buffer: no allocation per lead
  const auto& s = model_.segments;
  for (const auto& band : s.fit_grades) {
    if (fit >= band.at_least) {
      grade = band.grade;
      break;
    }
  }
  for (const auto& band : s.engagement_grades) {
    if (engagement >= band.at_least) {
      grade += band.grade;
      break;
    }
  }
}

void Scorer::score(const CsvRecord& row, ScoreResult& out, Detail detail) const {
  read_row(row);
  if (detail != Detail::Keys) score_read(out, detail);
}

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

void Scorer::add_axis_columns(const std::vector<CompiledRule>& rules, std::size_t rows, const std::vector<KeyIds>& ids,
                              std::vector<std::int64_t>& sums) const {
  constexpr std::int64_t kNoPoints = INT64_MIN;
  constexpr std::size_t kMaxPairs = 1u << 18;
  sums.assign(rows, 0);
  std::vector<std::vector<std::int64_t>> best(group_best_.size());  // per group, per row: its best hit
  std::vector<std::int64_t> table;
  for (const CompiledRule& c : rules) {
    if (c.column < 0) continue;
    const ColumnMemo& memo = *memos_[c.memo];
    std::vector<std::int64_t>* group = nullptr;
    if (c.group >= 0) {
      group = &best[static_cast<std::size_t>(c.group)];
      if (group->empty()) group->assign(rows, kNoPoints);
    }
    // No hit adds nothing to a sum and loses to any hit of a group: the loops below need no branch.
    const std::int64_t none = group ? kNoPoints : 0;
    const bool by_date = c.decay && c.decay_column >= 0;
    const ColumnMemo* dates_memo = by_date ? memos_[c.decay_memo].get() : nullptr;
    const std::size_t keys = memo.texts.size();
    const std::size_t dates = dates_memo ? dates_memo->texts.size() : 1;
    // A rule's points depend on the row's key and, when they decay, on its activity date's key:
    // worked out once per (key, date) pair, then looked up row by row.
    auto points_of = [&](std::size_t key, std::size_t date) {
      const Outcome& o = memo.outcomes[key * memo.rules.size() + c.slot];
      if (!o.matched) return none;
      if (!c.decay || o.points <= 0) return round_tenths(o.points);
      const double factor = dates_memo ? dates_memo->factors[date * dates_memo->decays.size() + c.decay_slot]
                                       : c.decay->missing_date_factor;
      return round_tenths(o.points * factor);
    };
    auto add = [&](auto&& points_of_row) {
      if (group) {
        std::int64_t* g = group->data();
        for (std::size_t row = 0; row < rows; ++row) g[row] = std::max(g[row], points_of_row(row));
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
    with_ids(ids[c.memo], [&](const auto* id) {
      if (!by_date && keys <= rows) {
        add([&](std::size_t row) { return table[id[row]]; });
      } else if (!by_date) {
        add([&](std::size_t row) { return points_of(id[row], 0); });
      } else {
        with_ids(ids[c.decay_memo], [&](const auto* date_id) {
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
  add_axis_columns(fit_rules_, rows, ids, fit);
  add_axis_columns(engagement_rules_, rows, ids, engagement);
  // The first disqualifier that holds, per row (0: none), rule by rule.
  std::vector<std::uint8_t> disqualified(rows, 0);
  std::vector<const Rule*> disqualifier_rules{nullptr};
  std::vector<char> holds;
  for (const auto& c : disqualifiers_) {
    if (c.column < 0 || disqualifier_rules.size() > 255) continue;
    const ColumnMemo& memo = *memos_[c.memo];
    holds.resize(memo.texts.size());
    for (std::size_t key = 0; key < holds.size(); ++key) {
      const Outcome& o = memo.outcomes[key * memo.rules.size() + c.slot];
      holds[key] = o.matched && !o.missing;
    }
    const auto index = static_cast<std::uint8_t>(disqualifier_rules.size());
    disqualifier_rules.push_back(c.rule);
    with_ids(ids[c.memo], [&](const auto* id) {
      for (std::size_t row = 0; row < rows; ++row) {
        if (disqualified[row] == 0 && holds[id[row]]) disqualified[row] = index;
      }
    });
  }
  // A row's result follows from its two point sums and its disqualifier: each distinct triple is
  // segmented once (an open-addressing table of triples -> result).
  struct Slot {
    std::int64_t fit, engagement;
    std::uint32_t result;  // kNoId: empty
    std::uint8_t disqualified;
  };
  // Where a triple is in `table`, or the empty slot where it goes.
  const auto slot_of = [](std::vector<Slot>& table, std::int64_t fit_points, std::int64_t engagement_points,
                          std::uint8_t disqualifier) -> Slot& {
    const std::uint64_t h = (static_cast<std::uint64_t>(fit_points) * 0x9E3779B97F4A7C15ull) ^
                            (static_cast<std::uint64_t>(engagement_points) * 0xC2B2AE3D27D4EB4Full) ^ disqualifier;
    std::size_t i = static_cast<std::size_t>(h ^ (h >> 29)) & (table.size() - 1);
    while (table[i].result != kNoId && (table[i].fit != fit_points || table[i].engagement != engagement_points ||
                                        table[i].disqualified != disqualifier)) {
      i = (i + 1) & (table.size() - 1);
    }
    return table[i];
  };
  std::vector<Slot> slots(1024, Slot{0, 0, kNoId, 0});
  results.clear();
  result_of_row.resize(rows);
  for (std::size_t row = 0; row < rows; ++row) {
    Slot& slot = slot_of(slots, fit[row], engagement[row], disqualified[row]);
    if (slot.result != kNoId) {
      result_of_row[row] = slot.result;
      continue;
    }
    ScoreResult out;
    out.disqualifier = disqualifier_rules[disqualified[row]];
    out.fit = fit_template_;
    out.engagement = engagement_template_;
    set_axis(out.fit, fit[row]);
    set_axis(out.engagement, engagement[row]);
    segment(out);
    result_of_row[row] = static_cast<std::uint32_t>(results.size());
    slot = Slot{fit[row], engagement[row], result_of_row[row], disqualified[row]};
    results.push_back(std::move(out));
    if (results.size() * 2 > slots.size()) {  // grow and place every triple again
      std::vector<Slot> grown(slots.size() * 2, Slot{0, 0, kNoId, 0});
      for (const Slot& placed : slots) {
        if (placed.result != kNoId) slot_of(grown, placed.fit, placed.engagement, placed.disqualified) = placed;
      }
      slots.swap(grown);
    }
  }
}

void Scorer::segment(ScoreResult& out) const {
  const auto& s = model_.segments;
  const double wf = out.fit.measured ? s.fit_weight : 0;
  const double we = out.engagement.measured ? s.engagement_weight : 0;
  out.total = wf + we > 0 ? round1((wf * out.fit.score + we * out.engagement.score) / (wf + we)) : 0;
  grade_of(out.fit.score, out.engagement.score, out.grade);
  out.temperature = Temperature::Cold;
  if (out.disqualifier) {
    out.temperature = Temperature::Cold;
  } else if (s.method == Segmentation::Method::Matrix) {
    out.temperature = s.matrix.at(out.grade);
  } else if (out.total >= s.hot) {
    out.temperature = Temperature::Hot;
    // Hot needs both axes: "a lead may be active but not qualified".
    auto hold = [&](const AxisScore& axis, double minimum, const char* name) {
      if (minimum <= 0 || !out.held_back.empty()) return;
      if (!axis.measured) {
        out.held_back =
            std::string("hot score, but ") + name + " cannot be measured: the list has no " + name + " columns";
      } else if (axis.score < minimum) {
        out.held_back = std::string("hot score, but ") + name + " " + format_number(axis.score) + " is below " +
                        format_number(minimum);
      }
    };
    hold(out.fit, s.hot_min_fit, "fit");
    hold(out.engagement, s.hot_min_engagement, "engagement");
    if (!out.held_back.empty()) out.temperature = Temperature::Warm;
  } else if (out.total >= s.warm) {
    out.temperature = Temperature::Warm;
  }
}

void Scorer::score_read(ScoreResult& out, Detail detail) const {
  out.clear();
  out.fit = fit_template_;
  out.engagement = engagement_template_;
  score_axis(fit_rules_, out.fit, out.hits, detail);
  score_axis(engagement_rules_, out.engagement, out.hits, detail);
  for (const auto& c : disqualifiers_) {
    if (c.column >= 0 && row_outcomes_[c.memo][c.slot].matched && !row_outcomes_[c.memo][c.slot].missing) {
      out.disqualifier = c.rule;
      break;
    }
  }
  segment(out);
  if (detail == Detail::Figures) return;
  // Counted hits by impact (model order breaks ties), superseded ones last. A hit is 64 bytes:
  // the dozen or so of a lead are sorted by place (a stable insertion sort), then moved once.
  const auto before = [&](std::uint32_t a, std::uint32_t b) {
    const RuleHit& x = out.hits[a];
    const RuleHit& y = out.hits[b];
    return x.counted != y.counted ? x.counted : std::fabs(x.points) > std::fabs(y.points);
  };
  hit_order_.resize(out.hits.size());
  for (std::uint32_t i = 0; i < hit_order_.size(); ++i) {
    std::size_t j = i;
    for (; j > 0 && before(i, hit_order_[j - 1]); --j) hit_order_[j] = hit_order_[j - 1];
    hit_order_[j] = i;
  }
  hits_sorted_.clear();
  for (const std::uint32_t i : hit_order_) hits_sorted_.push_back(out.hits[i]);
  out.hits.swap(hits_sorted_);
}

void Scorer::append_reasons(const ScoreResult& result, std::string& out) const {
  // Written in place into room sized for the longest text the hits can make: no append per piece.
  std::size_t room = 2 * sizeof "Held back from hot: " + result.held_back.size() +
                     (result.disqualifier ? result.disqualifier->reason.size() : 0);
  for (const auto& hit : result.hits) room += hit.label.size() + 72;  // "; ", " (", points, notes, ")"
  const std::size_t start = out.size();
  out.resize(start + room);
  char* const first = &out[start];
  char* p = first;
  auto put = [&](std::string_view text) {
    std::memcpy(p, text.data(), text.size());
    p += text.size();
  };
  auto separate = [&] {
    if (p > first) put("; ");
  };
  if (result.disqualifier) {
    put("Disqualified: ");
    put(result.disqualifier->reason);
  }
  if (!result.held_back.empty()) {
    separate();
    put("Held back from hot: ");
    put(result.held_back);
  }
  for (const auto& hit : result.hits) {
    if (!hit.counted || hit.points == 0) continue;
    separate();
    put(hit.label);
    put(" (");
    p = write_points(p, hit.points);
    if (hit.missing) put(", no value");
    if (hit.capped) put(", capped");
    if (hit.decay_factor < 1) {
      const auto hundredths = static_cast<int>(hit.decay_factor * 100 + 0.5);  // positive: as llround, no libm call
      put(", decayed x");
      *p++ = static_cast<char>('0' + hundredths / 100);  // a factor below 1 rounds to at most 1.00
      *p++ = '.';
      *p++ = static_cast<char>('0' + hundredths / 10 % 10);
      *p++ = static_cast<char>('0' + hundredths % 10);
    }
    *p++ = ')';
  }
  out.resize(static_cast<std::size_t>(p - out.data()));
}

std::string Scorer::reasons(const ScoreResult& result) const {
  std::string out;
  append_reasons(result, out);
  return out;
}

void Scorer::append_next_action(const ScoreResult& result, std::string& out) const {
  if (result.disqualifier) {
    out += "Do not pursue: ";
    out += result.disqualifier->reason;
    return;
  }
  const Play& play = model_.play(result.temperature);
  out += play.next_action;
  if (play.sla_hours) {
    char hours[24];
    out += " (within ";
    out.append(hours, write_decimal(hours, *play.sla_hours, false));
    out += " h)";
  }
}

std::string Scorer::next_action(const ScoreResult& result) const {
  std::string out;
  append_next_action(result, out);
  return out;
}

nlohmann::ordered_json Scorer::explain(const ScoreResult& result) const {
  using Json = nlohmann::ordered_json;
  auto axis_json = [](const AxisScore& a) {
    return Json{{"score", a.score},
                {"points", a.points},
                {"max_points", round1(a.max_points)},
                {"capped", a.capped},
                {"measured", a.measured}};
  };
  Json hits = Json::array();
  for (const auto& hit : result.hits) {
    Json h{{"rule", hit.rule->id},     {"label", hit.label},       {"axis", axis_name(hit.axis)},
           {"field", hit.rule->field}, {"base", round1(hit.base)}, {"points", hit.points},
           {"counted", hit.counted},   {"capped", hit.capped},     {"missing_value", hit.missing}};
    if (hit.rule->cap) h["cap"] = *hit.rule->cap;
    if (hit.decay_factor < 1) h["decay_factor"] = std::round(hit.decay_factor * 1000) / 1000;
    if (!hit.rule->group.empty()) h["group"] = hit.rule->group;
    hits.push_back(std::move(h));
  }
  const Play& play = model_.play(result.temperature);
  Json out{{"score", result.total},
           {"fit", axis_json(result.fit)},
           {"engagement", axis_json(result.engagement)},
           {"temperature", temperature_name(result.temperature)},
           {"grade", result.grade},
           {"stage", play.stage},
           {"next_action", next_action(result)},
           {"reasons", reasons(result)},
           {"hits", std::move(hits)}};
  if (result.disqualifier)
    out["disqualified"] = {{"rule", result.disqualifier->id}, {"reason", result.disqualifier->reason}};
  if (!result.held_back.empty()) out["held_back"] = result.held_back;
  return out;
}

std::vector<PathToHot> Scorer::paths_to_hot(const CsvRecord& row, const ScoreResult& result, std::size_t limit) const {
  std::vector<PathToHot> paths;
  if (result.temperature == Temperature::Hot || result.disqualifier) return paths;
  CsvRecord changed;
  ScoreResult trial;
  // Scores the lead with `column` set to `value`; keeps the change when it makes the lead hot.
  auto attempt = [&](std::int64_t column, const std::string& field, std::string value, std::string change) {
    for (const PathToHot& known : paths) {
      if (known.field == field && known.value == value) return true;  // the same change, found by another rule
    }
    changed.clear();
    changed.set_line(row.line());
    const std::size_t width = std::max(row.size(), static_cast<std::size_t>(column) + 1);
    for (std::size_t i = 0; i < width; ++i) {
      changed.push_back(i == static_cast<std::size_t>(column) ? std::string_view(value)
                        : i < row.size()                      ? row[i]
                                                              : std::string_view());
    }
    score(changed, trial);
    if (trial.temperature != Temperature::Hot) return false;
    paths.push_back(PathToHot{std::move(change), field, std::move(value), trial.total});
    return true;
  };
  for (const auto& c : engagement_rules_) {
    const Rule& rule = *c.rule;
    if (c.column < 0) continue;
    const std::string_view cell = static_cast<std::size_t>(c.column) < row.size()
                                      ? trim(row[static_cast<std::size_t>(c.column)])
                                      : std::string_view();
    const bool missing = model_.missing.is_missing(cell);
    switch (rule.matcher) {
      case Matcher::Is:
        if (rule.is && rule.points > 0 && (missing || parse_bool(cell) != std::optional<bool>(true))) {
          attempt(c.column, rule.field, "yes", std::string(rule.label));
        }
        break;
      case Matcher::PerUnit: {
        if (rule.per_unit <= 0) break;
        const double now = missing ? 0 : parse_quantity(cell).value_or(Quantity{0, 0}).value();
        const double room = rule.cap ? *rule.cap / rule.per_unit - now : 10;
        for (int more = 1; more <= 10 && more <= room + 0.999; ++more) {
          if (attempt(c.column, rule.field, format_number(now + more), "+" + std::to_string(more) + " " + rule.label))
            break;
        }
        break;
      }
      case Matcher::Equals:
      case Matcher::ContainsAny:
        if (rule.points > 0 && !rule.texts.empty()) attempt(c.column, rule.field, rule.texts.front(), rule.label);
        break;
      case Matcher::WithinDays:
        if (rule.points > 0) attempt(c.column, rule.field, format_date(as_of_), rule.label);
        break;
      default: break;
    }
  }
  // Fresh activity removes the decay of everything the lead has done.
  for (const auto& c : engagement_rules_) {
    if (c.decay && c.decay_column >= 0) {
      attempt(c.decay_column, c.decay->date_field, format_date(as_of_), "Any activity today (no decay)");
      break;
    }
  }
  std::stable_sort(paths.begin(), paths.end(),
                   [](const PathToHot& a, const PathToHot& b) { return a.score < b.score; });
  if (paths.size() > limit) paths.resize(limit);
  return paths;
}

nlohmann::ordered_json explain_lead(const Scorer& scorer, const ScoreResult& result, const CsvRecord& header,
                                    const CsvRecord& row) {
  nlohmann::ordered_json j = scorer.explain(result);
  if (result.temperature != Temperature::Hot && !result.disqualifier) {
    nlohmann::ordered_json actions = nlohmann::ordered_json::array();
    for (const PathToHot& path : scorer.paths_to_hot(row, result)) {
      actions.push_back({{"change", path.change}, {"field", path.field}, {"value", path.value}, {"score", path.score}});
    }
    nlohmann::ordered_json to_hot{{"actions", actions}};
    if (actions.empty()) {
      to_hot["blocked"] =
          !result.held_back.empty()
              ? result.held_back
              : std::string("no single engagement action is enough; the lead needs more fit or several actions");
    }
    j["to_hot"] = std::move(to_hot);
  }
  j["line"] = row.line();
  nlohmann::ordered_json cells = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < row.size(); ++i) {
    cells[i < header.size() && !header[i].empty() ? std::string(header[i]) : "column_" + std::to_string(i + 1)] =
        row[i];
  }
  j["cells"] = std::move(cells);
  return j;
}

}  // namespace leadscore
