#include "detail/column_keys.hpp"

#include <algorithm>
#include <cmath>

#include "detail/setup_code.hpp"

namespace leadscore::detail {

namespace {

/// The domain an unlisted one is keyed as: a valid one no list should hold (RFC 2606).
constexpr std::string_view kUnlisted = "unlisted.invalid";

/// An outcome key has a byte per rule, 2 + (0: no hit; 1 + the band that hit), never kRewritten.
constexpr std::size_t kMostBands = 253;

static_assert(Scorer::kNoId == Interner::kFull, "a key the column cannot take has no id");

}  // namespace

void DomainSet::insert(std::string_view domain) {
  bool added = false;
  domains_.intern(domain, added);
  filter_.set(filter_bit(domain));
}

bool DomainSet::contains(std::string_view domain) const {
  return filter_.test(filter_bit(domain)) && domains_.find(domain) != Interner::kFull;
}

bool DomainSet::contains_or_under(std::string_view domain) const {
  while (!domain.empty()) {
    if (contains(domain)) return true;
    const std::size_t dot = domain.find('.');
    domain = dot == std::string_view::npos ? std::string_view() : domain.substr(dot + 1);
  }
  return false;
}

std::size_t DomainSet::filter_bit(std::string_view d) noexcept {
  if (d.empty()) return 0;
  const auto byte = [&](std::size_t i) { return static_cast<std::size_t>(static_cast<unsigned char>(d[i])); };
  return (d.size() * 0x9E37u + byte(0) * 0x85EBu + byte(d.size() / 2) * 0xC2B3u + byte(d.size() - 1) * 0x27D5u) & 4095u;
}

ColumnKeys::ColumnKeys(std::int64_t column, const MissingValues& missing, std::int32_t as_of)
    : column_(column), missing_(missing), as_of_(as_of) {}

std::size_t ColumnKeys::add_rule(const rules::BoundRule& rule) {
  rules_.push_back(&rule);
  return rules_.size() - 1;
}

std::size_t ColumnKeys::add_decay(const Decay* decay) {
  const auto it = std::find(decays_.begin(), decays_.end(), decay);
  if (it != decays_.end()) return static_cast<std::size_t>(it - decays_.begin());
  decays_.push_back(decay);
  return decays_.size() - 1;
}

LEADSCORE_SETUP_CODE void ColumnKeys::decide() {
  scratch_outcomes_.resize(rules_.size());
  scratch_factors_.resize(decays_.size());
  // A title read by six contains_any rules is gone through once for all of them.
  for (std::size_t first = 0; first < rules_.size(); first += PhraseSet::kMostSets) {
    std::vector<std::vector<std::string>> sets;  // by slot: empty for the other matchers
    for (std::size_t slot = first; slot < rules_.size() && slot < first + PhraseSet::kMostSets; ++slot) {
      const Rule& rule = *rules_[slot]->rule;
      sets.push_back(rule.matcher == Matcher::ContainsAny ? rule.texts : std::vector<std::string>());
    }
    phrases_.emplace_back(sets);
  }
  // A column whose rules only ask "is it there" (or an email's domain and validity) is keyed by
  // just that: a million distinct company names or addresses make a handful of keys.
  const auto only = [&](std::initializer_list<Matcher> matchers) {
    return decays_.empty() && std::all_of(rules_.begin(), rules_.end(), [&](const rules::BoundRule* r) {
             return std::find(matchers.begin(), matchers.end(), r->rule->matcher) != matchers.end();
           });
  };
  const bool dates_only = std::all_of(rules_.begin(), rules_.end(), [](const rules::BoundRule* r) {
    return r->rule->matcher == Matcher::WithinDays || r->rule->matcher == Matcher::OlderThanDays;
  });
  if (only({Matcher::Present})) {
    kind_ = KeyKind::Presence;
  } else if (dates_only) {
    kind_ = KeyKind::Date;
  } else if (only({Matcher::Present, Matcher::DomainIn, Matcher::InvalidEmail})) {
    kind_ = KeyKind::EmailDomain;
    std::vector<std::string> domains;
    for (const rules::BoundRule* r : rules_) domains.insert(domains.end(), r->texts.begin(), r->texts.end());
    std::sort(domains.begin(), domains.end());
    domains.erase(std::unique(domains.begin(), domains.end()), domains.end());
    std::string all;
    for (const auto& domain : domains) {
      listed_.insert(domain);
      all.append(domain).push_back('\n');
    }
    fingerprint_ = hash_text(all) | 1;  // never 0, the other kinds' value
    keys_unlisted_ = !listed_.contains_or_under(kUnlisted);
  }
  // A number per unit or a decay factor is not one of a few outcomes: such columns keep cells.
  by_outcomes_ = kind_ == KeyKind::Text && decays_.empty() &&
                 std::none_of(rules_.begin(), rules_.end(), [](const rules::BoundRule* r) {
                   return r->rule->matcher == Matcher::PerUnit || r->rule->bands.size() > kMostBands;
                 });
  if (by_outcomes_) {
    most_cells_ = Scorer::kCellKeys;
    fingerprint_ = conditions_fingerprint();
  }
  rewrites_ = kind_ == KeyKind::Date || by_outcomes_;
}

std::string_view ColumnKeys::email_key(std::string_view cell, std::uint32_t*& known_id) {
  std::string_view domain = valid_email_domain(cell);
  const bool valid = !domain.empty();
  if (!valid) domain = domain_part(cell);
  const auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  if (keys_unlisted_ && unlisted_ids_[valid] != kNoId && std::none_of(domain.begin(), domain.end(), upper) &&
      !listed_.contains_or_under(domain)) {
    known_id = &unlisted_ids_[valid];  // most rows: an unlisted domain in lower case, its key's id known
    return {};
  }
  key_ = valid ? "x@" : "@@";
  append_lower_ascii(domain, key_);
  if (keys_unlisted_ && !listed_.contains_or_under(std::string_view(key_).substr(2))) {
    key_.resize(2);
    key_ += kUnlisted;
    known_id = &unlisted_ids_[valid];
  }
  return key_;
}

std::uint32_t ColumnKeys::add(std::string_view key) {
  bool added = false;
  const std::uint32_t id = keys_.intern(key, added);
  if (added) work_out_new(id, key);
  return id;
}

void ColumnKeys::work_out_new(std::uint32_t id, std::string_view key) {
  outcomes_.resize((id + 1) * rules_.size());
  factors_.resize((id + 1) * decays_.size());
  work_out(key, outcomes_.data() + id * rules_.size(), factors_.data() + id * decays_.size());
}

std::string_view ColumnKeys::outcome_key(std::string_view cell) {
  if (missing_.is_missing(cell)) {
    key_.clear();  // "n/a" reads as the empty cell does
    return key_;
  }
  rules::Outcome* outcomes = scratch_outcomes_.data();
  work_out(cell, outcomes, scratch_factors_.data(), false);
  key_.assign(1, Scorer::kRewritten);
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    key_.push_back(static_cast<char>(2 + (outcomes[i].matched ? 1 + outcomes[i].band : 0)));
  }
  return key_;
}

void ColumnKeys::read_outcome_key(std::string_view states, rules::Outcome* outcomes) const {
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    const Rule& rule = *rules_[i]->rule;
    const int state = i < states.size() ? static_cast<unsigned char>(states[i]) - 2 : 0;
    if (state > 0) {
      outcomes[i] = rules::fired(rule, static_cast<std::size_t>(state - 1));
    } else {
      outcomes[i] = rules::Outcome{};
      outcomes[i].label = &rule.label;
      outcomes[i].base = rule.points;
    }
  }
}

std::uint64_t ColumnKeys::conditions_fingerprint() const {
  std::string all;
  const auto put = [&](const auto& value) { all.append(reinterpret_cast<const char*>(&value), sizeof value); };
  const auto put_bound = [&](const std::optional<double>& bound) { put(bound ? *bound : std::nan("")); };
  const auto put_texts = [&](const std::vector<std::string>& texts) {
    put(texts.size());
    for (const auto& text : texts) put(text.size()), all.append(text);
  };
  bool dated = false;
  for (const rules::BoundRule* r : rules_) {
    const Rule& rule = *r->rule;
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
  put_texts(missing_.words());  // what a missing cell is
  if (dated) put(as_of_);
  return hash_text(all) | 1;
}

void ColumnKeys::work_out(std::string_view key, rules::Outcome* outcomes, double* factors, bool with_points) {
  if (rewrites_ && !key.empty() && key.front() == Scorer::kRewritten) {
    key.remove_prefix(1);  // a day, a cell that starts with kRewritten, or outcomes
    if (by_outcomes_ && !key.empty() && key.front() != Scorer::kRewritten) return read_outcome_key(key, outcomes);
  }
  cell_.reset(key, missing_.is_missing(key), phrases_);
  for (std::size_t i = 0; i < rules_.size(); ++i) outcomes[i] = rules::outcome(*rules_[i], cell_, as_of_, with_points);
  for (std::size_t i = 0; i < decays_.size(); ++i) factors[i] = rules::decay_factor(*decays_[i], cell_.date(), as_of_);
}

}  // namespace leadscore::detail
