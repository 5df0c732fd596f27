#include "leadscore/model.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "detail/setup_code.hpp"

namespace leadscore {

LEADSCORE_SETUP_CODE_BEGIN  // all of this file runs once per model or list

using Json = nlohmann::json;

const char* temperature_name(Temperature temperature) noexcept {
  switch (temperature) {
    case Temperature::Cold: return "cold";
    case Temperature::Warm: return "warm";
    case Temperature::Hot: return "hot";
  }
  return "cold";
}

const char* axis_name(Axis axis) noexcept { return axis == Axis::Fit ? "fit" : "engagement"; }

const char* matcher_name(Matcher matcher) noexcept {
  switch (matcher) {
    case Matcher::PerUnit: return "per_unit";
    case Matcher::Range: return "at_least/below";
    case Matcher::Bands: return "bands";
    case Matcher::Equals: return "equals";
    case Matcher::ContainsAny: return "contains_any";
    case Matcher::DomainIn: return "domain_in";
    case Matcher::Is: return "is";
    case Matcher::Present: return "present";
    case Matcher::WithinDays: return "within_days";
    case Matcher::OlderThanDays: return "older_than_days";
    case Matcher::InvalidEmail: return "invalid_email";
  }
  return "present";
}

namespace {

// Points, caps and per-unit points beyond this are a typing slip, not a model: refused, so that no
// sum of them can lose precision or overflow.
constexpr double kMaxPoints = 1e6;

std::string json_type_name(const Json& j) {
  if (j.is_null()) return "null";
  if (j.is_boolean()) return "a boolean";
  if (j.is_number()) return "a number";
  if (j.is_string()) return "a string";
  if (j.is_array()) return "an array";
  return "an object";
}

std::string pointer_escape(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string child(const std::string& path, std::string_view key) { return path + "/" + pointer_escape(key); }
std::string child(const std::string& path, std::size_t index) { return path + "/" + std::to_string(index); }

/// Walks the model JSON, collecting every problem with its JSON pointer.
class ModelReader {
 public:
  std::vector<Error> errors;

  void fail(ErrorCode code, const std::string& path, std::string message) {
    errors.push_back(Error{code, std::move(message), 0, 0, path.empty() ? "/" : path});
  }

  bool object(const Json& j, const std::string& path, std::initializer_list<std::string_view> allowed) {
    if (!j.is_object()) {
      fail(ErrorCode::ModelTypeMismatch, path, "expected an object, found " + json_type_name(j));
      return false;
    }
    for (const auto& item : j.items()) {
      if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end()) {
        std::string known;
        for (std::string_view a : allowed) known += (known.empty() ? "" : ", ") + std::string(a);
        fail(ErrorCode::ModelUnknownKey, child(path, item.key()),
             "unknown key \"" + item.key() + "\" (expected one of: " + known + ")");
      }
    }
    return true;
  }

  const Json* get(const Json& obj, std::string_view key, const std::string& path, bool required) {
    const auto it = obj.find(std::string(key));
    if (it == obj.end()) {
      if (required)
        fail(ErrorCode::ModelMissingKey, child(path, key), "missing required key \"" + std::string(key) + "\"");
      return nullptr;
    }
    return &*it;
  }

  std::optional<double> number(const Json& obj, std::string_view key, const std::string& path, bool required = false) {
    const Json* j = get(obj, key, path, required);
    if (!j) return std::nullopt;
    if (!j->is_number()) {
      fail(ErrorCode::ModelTypeMismatch, child(path, key), "expected a number, found " + json_type_name(*j));
      return std::nullopt;
    }
    const double v = j->get<double>();
    if (!std::isfinite(v)) {
      fail(ErrorCode::ModelInvalidValue, child(path, key), "expected a finite number");
      return std::nullopt;
    }
    return v;
  }

  std::optional<double> number_in(const Json& obj, std::string_view key, const std::string& path, double low,
                                  double high, bool required = false) {
    auto v = number(obj, key, path, required);
    if (v && (*v < low || *v > high)) {
      fail(ErrorCode::ModelInvalidValue, child(path, key),
           "expected a number from " + format(low) + " to " + format(high) + ", found " + format(*v));
      return std::nullopt;
    }
    return v;
  }

  std::optional<std::string> string(const Json& obj, std::string_view key, const std::string& path,
                                    bool required = false) {
    const Json* j = get(obj, key, path, required);
    if (!j) return std::nullopt;
    if (!j->is_string()) {
      fail(ErrorCode::ModelTypeMismatch, child(path, key), "expected a string, found " + json_type_name(*j));
      return std::nullopt;
    }
    return j->get<std::string>();
  }

  std::optional<bool> boolean(const Json& obj, std::string_view key, const std::string& path) {
    const Json* j = get(obj, key, path, false);
    if (!j) return std::nullopt;
    if (!j->is_boolean()) {
      fail(ErrorCode::ModelTypeMismatch, child(path, key), "expected true or false, found " + json_type_name(*j));
      return std::nullopt;
    }
    return j->get<bool>();
  }

  /// A string or an array of strings (non-empty).
  std::optional<std::vector<std::string>> strings(const Json& j, const std::string& path, bool allow_single) {
    if (allow_single && j.is_string()) return std::vector<std::string>{j.get<std::string>()};
    if (!j.is_array()) {
      fail(ErrorCode::ModelTypeMismatch, path,
           std::string("expected ") + (allow_single ? "a string or " : "") + "an array of strings, found " +
               json_type_name(j));
      return std::nullopt;
    }
    std::vector<std::string> out;
    for (std::size_t i = 0; i < j.size(); ++i) {
      if (!j[i].is_string()) {
        fail(ErrorCode::ModelTypeMismatch, child(path, i), "expected a string, found " + json_type_name(j[i]));
        return std::nullopt;
      }
      out.push_back(j[i].get<std::string>());
    }
    return out;
  }

  static std::string format(double v) {
    Json j = v;
    if (v == std::floor(v) && std::fabs(v) < 1e15) j = static_cast<long long>(v);
    return j.dump();
  }
};

std::optional<std::int32_t> read_date(ModelReader& r, const Json& obj, std::string_view key, const std::string& path) {
  const auto text = r.string(obj, key, path);
  if (!text) return std::nullopt;
  const auto days = parse_date(*text);
  if (!days) r.fail(ErrorCode::ModelInvalidValue, child(path, key), "expected a date like \"2025-03-14\"");
  return days;
}

std::optional<Decay> read_decay(ModelReader& r, const Json& j, const std::string& path) {
  if (!r.object(j, path, {"half_life_days", "date_field", "missing_date_factor"})) return std::nullopt;
  Decay decay;
  const auto half_life = r.number(j, "half_life_days", path, true);
  if (half_life && *half_life <= 0) {
    r.fail(ErrorCode::ModelInvalidValue, child(path, "half_life_days"), "a half-life must be more than 0 days");
  } else if (half_life) {
    decay.half_life_days = *half_life;
  }
  if (auto field = r.string(j, "date_field", path)) decay.date_field = *field;
  if (auto factor = r.number_in(j, "missing_date_factor", path, 0, 1)) decay.missing_date_factor = *factor;
  return decay;
}

class RuleReader {
 public:
  RuleReader(ModelReader& r, const ScoringModel& model) : r_(r), model_(model) {}

  /// `disqualifier`: no points, a reason instead.
  std::optional<Rule> read(const Json& j, const std::string& path, bool disqualifier) {
    if (!r_.object(j, path, {"id",       "label",   "field",       "points",          "per_unit",      "cap",
                             "at_least", "below",   "bands",       "equals",          "contains_any",  "domain_in",
                             "is",       "present", "within_days", "older_than_days", "invalid_email", "missing_points",
                             "decay",    "group",   "reason"})) {
      return std::nullopt;
    }
    Rule rule;
    rule.json_path = path;
    const std::size_t errors_before = r_.errors.size();
    if (auto id = r_.string(j, "id", path, true)) {
      rule.id = *id;
      if (!valid_id(rule.id)) {
        r_.fail(ErrorCode::ModelInvalidValue, child(path, "id"),
                "an id uses lowercase letters, digits and _ (like \"pricing_page\")");
      } else if (!ids_.insert(rule.id).second) {
        r_.fail(ErrorCode::ModelInvalidValue, child(path, "id"), "the id \"" + rule.id + "\" is used twice");
      }
    }
    rule.label = r_.string(j, "label", path).value_or(rule.id);
    if (auto field = r_.string(j, "field", path, true)) {
      rule.field = *field;
      check_field(rule.field, child(path, "field"));
    }
    read_matcher(j, path, rule, disqualifier);
    if (disqualifier) {
      rule.reason = r_.string(j, "reason", path).value_or(rule.label);
      for (std::string_view key : {"points", "per_unit", "cap", "missing_points", "decay", "group"}) {
        if (j.contains(std::string(key))) {
          r_.fail(ErrorCode::ModelUnknownKey, child(path, key),
                  "a disqualifier has no points; remove \"" + std::string(key) + "\"");
        }
      }
    } else {
      if (j.contains("reason"))
        r_.fail(ErrorCode::ModelUnknownKey, child(path, "reason"), "only disqualifiers have a reason");
      if (auto cap = r_.number(j, "cap", path)) {
        if (*cap < 0)
          r_.fail(ErrorCode::ModelInvalidValue, child(path, "cap"), "a cap cannot be negative");
        else if (*cap > kMaxPoints)
          r_.number_in(j, "cap", path, 0, kMaxPoints);
        rule.cap = *cap;
      }
      rule.missing_points = r_.number_in(j, "missing_points", path, -kMaxPoints, kMaxPoints);
      rule.group = r_.string(j, "group", path).value_or("");
      if (const auto it = j.find("decay"); it != j.end()) {
        if (it->is_boolean()) {
          if (it->get<bool>()) {
            r_.fail(ErrorCode::ModelInvalidValue, child(path, "decay"),
                    "use false to turn decay off, or an object with half_life_days");
          }
          rule.no_decay = true;
        } else {
          rule.decay = read_decay(r_, *it, child(path, "decay"));
          if (rule.decay) check_date_field(rule.decay->date_field, child(child(path, "decay"), "date_field"));
        }
      }
    }
    if (r_.errors.size() != errors_before) return std::nullopt;
    return rule;
  }

  void check_date_field(const std::string& field, const std::string& path) {
    check_field(field, path);
    const FieldInfo* info = find_field(field);
    if (info && info->kind != ValueKind::Date) {
      r_.fail(ErrorCode::ModelInvalidValue, path,
              "\"" + field + "\" holds " + value_kind_name(info->kind) + "s, not dates (try \"last_activity_date\")");
    }
  }

 private:
  static bool valid_id(const std::string& id) {
    return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
  }

  void check_field(const std::string& field, const std::string& path) {
    if (field.rfind("column:", 0) == 0) {
      if (field.size() == 7) r_.fail(ErrorCode::ModelInvalidValue, path, "\"column:\" needs a header name after it");
      return;
    }
    if (find_field(field) || model_.columns.count(field)) return;
    std::string hint;
    const std::string key = normalize_key(field);
    for (const auto& info : canonical_fields()) {
      if (normalize_key(info.name) == key) hint = info.name;
      for (std::string_view synonym : info.synonyms) {
        if (hint.empty() && normalize_key(synonym) == key) hint = info.name;
      }
    }
    r_.fail(ErrorCode::ModelUnknownField, path,
            "unknown field \"" + field + "\"" + (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)") +
                "; use a lead field, a field defined in \"columns\", or \"column:<header>\"");
  }

  void read_matcher(const Json& j, const std::string& path, Rule& rule, bool disqualifier) {
    static constexpr std::string_view kMatchers[] = {"per_unit", "at_least",     "below",           "bands",
                                                     "equals",   "contains_any", "domain_in",       "is",
                                                     "present",  "within_days",  "older_than_days", "invalid_email"};
    std::vector<std::string_view> found;
    for (std::string_view m : kMatchers) {
      if (j.contains(std::string(m))) found.push_back(m);
    }
    const auto has = [&](std::string_view key) { return std::find(found.begin(), found.end(), key) != found.end(); };
    const bool range = has("at_least") || has("below");
    // at_least and below together make one range test.
    const std::size_t distinct = found.size() - (has("at_least") && has("below") ? 1 : 0);
    if (distinct != 1) {
      r_.fail(found.empty() ? ErrorCode::ModelMissingKey : ErrorCode::ModelInvalidValue, path,
              "a rule needs exactly one test: per_unit, at_least/below, bands, equals, contains_any, domain_in, is, "
              "present, within_days, older_than_days or invalid_email");
      return;
    }
    const std::string_view m = found.front();
    bool needs_points = true;
    if (m == "per_unit") {
      rule.matcher = Matcher::PerUnit;
      rule.per_unit = r_.number_in(j, "per_unit", path, -kMaxPoints, kMaxPoints).value_or(0);
      needs_points = false;
      if (j.contains("points"))
        r_.fail(ErrorCode::ModelUnknownKey, child(path, "points"), "per_unit rules have no \"points\"");
    } else if (range) {
      rule.matcher = Matcher::Range;
      rule.at_least = r_.number(j, "at_least", path);
      rule.below = r_.number(j, "below", path);
      if (rule.at_least && rule.below && *rule.at_least >= *rule.below) {
        r_.fail(ErrorCode::ModelInvalidValue, child(path, "below"), "\"below\" must be more than \"at_least\"");
      }
    } else if (m == "bands") {
      rule.matcher = Matcher::Bands;
      needs_points = false;
      read_bands(j["bands"], child(path, "bands"), rule);
    } else if (m == "equals" || m == "contains_any") {
      rule.matcher = m == "equals" ? Matcher::Equals : Matcher::ContainsAny;
      if (auto texts = r_.strings(j[std::string(m)], child(path, m), m == "equals")) {
        if (texts->empty()) r_.fail(ErrorCode::ModelInvalidValue, child(path, m), "give at least one text");
        for (const auto& t : *texts) {
          const std::string lowered = to_lower_ascii(trim(t));
          if (lowered.empty()) {
            r_.fail(ErrorCode::ModelInvalidValue, child(path, m), "an empty text matches nothing; remove it");
          }
          rule.texts.push_back(lowered);
        }
      }
    } else if (m == "domain_in") {
      rule.matcher = Matcher::DomainIn;
      if (auto domains = r_.strings(j["domain_in"], child(path, "domain_in"), false)) {
        for (std::size_t i = 0; i < domains->size(); ++i)
          expand_domains((*domains)[i], child(child(path, "domain_in"), i), rule);
      }
    } else if (m == "is") {
      rule.matcher = Matcher::Is;
      rule.is = r_.boolean(j, "is", path).value_or(true);
    } else if (m == "present" || m == "invalid_email") {
      rule.matcher = m == "present" ? Matcher::Present : Matcher::InvalidEmail;
      const auto flag = r_.boolean(j, m, path);
      if (flag && !*flag) r_.fail(ErrorCode::ModelInvalidValue, child(path, m), "only true is meaningful here");
    } else {
      rule.matcher = m == "within_days" ? Matcher::WithinDays : Matcher::OlderThanDays;
      rule.days = r_.number_in(j, m, path, 0, 36500).value_or(0);
    }
    if (!disqualifier) {
      if (needs_points) {
        rule.points = r_.number_in(j, "points", path, -kMaxPoints, kMaxPoints, true).value_or(0);
      }
    }
  }

  void read_bands(const Json& j, const std::string& path, Rule& rule) {
    if (!j.is_array() || j.empty()) {
      r_.fail(ErrorCode::ModelTypeMismatch, path, "expected a non-empty array of bands");
      return;
    }
    for (std::size_t i = 0; i < j.size(); ++i) {
      const std::string band_path = child(path, i);
      if (!r_.object(j[i], band_path, {"at_least", "below", "points", "label"})) continue;
      Band band;
      band.at_least = r_.number(j[i], "at_least", band_path);
      band.below = r_.number(j[i], "below", band_path);
      band.points = r_.number_in(j[i], "points", band_path, -kMaxPoints, kMaxPoints, true).value_or(0);
      band.label = r_.string(j[i], "label", band_path).value_or("");
      if (!band.at_least && !band.below) {
        r_.fail(ErrorCode::ModelMissingKey, band_path, "a band needs \"at_least\", \"below\" or both");
      }
      if (band.at_least && band.below && *band.at_least >= *band.below) {
        r_.fail(ErrorCode::ModelInvalidValue, child(band_path, "below"), "\"below\" must be more than \"at_least\"");
      }
      rule.bands.push_back(band);
    }
  }

  void expand_domains(const std::string& entry, const std::string& path, Rule& rule) {
    if (entry.empty() || entry[0] != '@') {
      rule.texts.push_back(to_lower_ascii(trim(entry)));
      return;
    }
    if (const auto* builtin = builtin_domain_list(entry)) {
      rule.texts.insert(rule.texts.end(), builtin->begin(), builtin->end());
      return;
    }
    const auto it = model_.domain_lists.find(entry.substr(1));
    if (it == model_.domain_lists.end()) {
      r_.fail(ErrorCode::ModelInvalidValue, path,
              "unknown domain list \"" + entry + "\"; use @free_mail, @disposable or a list from \"domain_lists\"");
      return;
    }
    for (const auto& d : it->second) rule.texts.push_back(to_lower_ascii(trim(d)));
  }

  ModelReader& r_;
  const ScoringModel& model_;
  std::set<std::string> ids_;
};

void read_axis(ModelReader& r, RuleReader& rules, const Json& j, const std::string& path, AxisModel& axis) {
  if (!r.object(j, path, {"max_points", "decay", "rules"})) return;
  if (auto max = r.number(j, "max_points", path)) {
    if (*max <= 0) {
      r.fail(ErrorCode::ModelInvalidValue, child(path, "max_points"), "max_points must be more than 0");
    } else {
      axis.max_points = *max;
    }
  }
  if (const auto it = j.find("decay"); it != j.end()) {
    axis.decay = read_decay(r, *it, child(path, "decay"));
    if (axis.decay) rules.check_date_field(axis.decay->date_field, child(child(path, "decay"), "date_field"));
  }
  const Json* list = r.get(j, "rules", path, true);
  if (!list) return;
  if (!list->is_array()) {
    r.fail(ErrorCode::ModelTypeMismatch, child(path, "rules"),
           "expected an array of rules, found " + json_type_name(*list));
    return;
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    if (auto rule = rules.read((*list)[i], child(child(path, "rules"), i), false))
      axis.rules.push_back(std::move(*rule));
  }
  // Without max_points, the axis normalises by what its rules can give: each must be bounded.
  if (!axis.max_points) {
    for (const auto& rule : axis.rules) {
      if (rule.matcher == Matcher::PerUnit && rule.per_unit > 0 && !rule.cap) {
        r.fail(ErrorCode::ModelMissingKey, rule.json_path + "/cap",
               "a per_unit rule needs a \"cap\" when its axis has no \"max_points\"");
      }
    }
  }
}

std::vector<GradeBand> read_grades(ModelReader& r, const Json& j, const std::string& path) {
  std::vector<GradeBand> grades;
  if (!j.is_array() || j.empty()) {
    r.fail(ErrorCode::ModelTypeMismatch, path, "expected a non-empty array of grades");
    return grades;
  }
  for (std::size_t i = 0; i < j.size(); ++i) {
    const std::string grade_path = child(path, i);
    if (!r.object(j[i], grade_path, {"grade", "at_least"})) continue;
    GradeBand band;
    band.grade = r.string(j[i], "grade", grade_path, true).value_or("?");
    band.at_least = r.number_in(j[i], "at_least", grade_path, 0, 100, true).value_or(0);
    if (!grades.empty() && band.at_least >= grades.back().at_least) {
      r.fail(ErrorCode::ModelInvalidValue, child(grade_path, "at_least"), "grades go from the highest to the lowest");
    }
    grades.push_back(band);
  }
  if (!grades.empty() && grades.back().at_least != 0) {
    r.fail(ErrorCode::ModelInvalidValue, child(child(path, grades.size() - 1), "at_least"),
           "the lowest grade must start at 0 so that every lead gets one");
  }
  return grades;
}

std::optional<Temperature> temperature_from(const std::string& text) {
  for (Temperature t : {Temperature::Cold, Temperature::Warm, Temperature::Hot}) {
    if (text == temperature_name(t)) return t;
  }
  return std::nullopt;
}

void read_segments(ModelReader& r, const Json& j, const std::string& path, Segmentation& s) {
  if (!r.object(j, path,
                {"method", "weights", "warm", "hot", "hot_requires", "fit_grades", "engagement_grades", "matrix"})) {
    return;
  }
  const std::string method = r.string(j, "method", path).value_or("thresholds");
  if (method == "matrix") {
    s.method = Segmentation::Method::Matrix;
  } else if (method != "thresholds") {
    r.fail(ErrorCode::ModelInvalidValue, child(path, "method"), "expected \"thresholds\" or \"matrix\"");
  }
  if (const Json* weights = r.get(j, "weights", path, false)) {
    const std::string wpath = child(path, "weights");
    if (r.object(*weights, wpath, {"fit", "engagement"})) {
      s.fit_weight = r.number_in(*weights, "fit", wpath, 0, 1e6).value_or(s.fit_weight);
      s.engagement_weight = r.number_in(*weights, "engagement", wpath, 0, 1e6).value_or(s.engagement_weight);
      if (s.fit_weight + s.engagement_weight <= 0)
        r.fail(ErrorCode::ModelInvalidValue, wpath, "the weights cannot both be 0");
    }
  }
  s.warm = r.number_in(j, "warm", path, 0, 100).value_or(s.warm);
  s.hot = r.number_in(j, "hot", path, 0, 100).value_or(s.hot);
  if (s.warm >= s.hot) {
    r.fail(ErrorCode::ModelInvalidValue, child(path, "warm"),
           "the warm threshold (" + ModelReader::format(s.warm) + ") must be below the hot threshold (" +
               ModelReader::format(s.hot) + ")");
  }
  if (const Json* req = r.get(j, "hot_requires", path, false)) {
    const std::string rpath = child(path, "hot_requires");
    if (r.object(*req, rpath, {"fit", "engagement"})) {
      s.hot_min_fit = r.number_in(*req, "fit", rpath, 0, 100).value_or(0);
      s.hot_min_engagement = r.number_in(*req, "engagement", rpath, 0, 100).value_or(0);
    }
  }
  if (const Json* g = r.get(j, "fit_grades", path, false)) s.fit_grades = read_grades(r, *g, child(path, "fit_grades"));
  if (const Json* g = r.get(j, "engagement_grades", path, false)) {
    s.engagement_grades = read_grades(r, *g, child(path, "engagement_grades"));
  }
  if (s.fit_grades.empty()) s.fit_grades = {{"A", 70}, {"B", 40}, {"C", 0}};
  if (s.engagement_grades.empty()) s.engagement_grades = {{"1", 70}, {"2", 40}, {"3", 0}};

  const Json* matrix = r.get(j, "matrix", path, s.method == Segmentation::Method::Matrix);
  if (matrix && s.method != Segmentation::Method::Matrix) {
    r.fail(ErrorCode::ModelInvalidValue, child(path, "matrix"), "\"matrix\" needs \"method\": \"matrix\"");
  } else if (matrix) {
    const std::string mpath = child(path, "matrix");
    if (!matrix->is_object()) {
      r.fail(ErrorCode::ModelTypeMismatch, mpath, "expected an object like {\"A1\": \"hot\", ...}");
      return;
    }
    for (const auto& item : matrix->items()) {
      const auto t = item.value().is_string() ? temperature_from(item.value().get<std::string>()) : std::nullopt;
      if (!t) {
        r.fail(ErrorCode::ModelInvalidValue, child(mpath, item.key()), "expected \"cold\", \"warm\" or \"hot\"");
        continue;
      }
      s.matrix[item.key()] = *t;
    }
    for (const auto& f : s.fit_grades) {
      for (const auto& e : s.engagement_grades) {
        if (!s.matrix.count(f.grade + e.grade)) {
          r.fail(ErrorCode::ModelMissingKey, child(mpath, f.grade + e.grade),
                 "the matrix has no temperature for grade " + f.grade + e.grade);
        }
      }
    }
    for (const auto& cell : s.matrix) {
      bool known = false;
      for (const auto& f : s.fit_grades) {
        for (const auto& e : s.engagement_grades) known = known || cell.first == f.grade + e.grade;
      }
      if (!known) r.fail(ErrorCode::ModelUnknownKey, child(mpath, cell.first), "no such grade: " + cell.first);
    }
  }
}

void read_plays(ModelReader& r, const Json& j, const std::string& path, std::array<Play, 3>& plays) {
  if (!r.object(j, path, {"cold", "warm", "hot"})) return;
  for (Temperature t : {Temperature::Cold, Temperature::Warm, Temperature::Hot}) {
    const Json* p = r.get(j, temperature_name(t), path, false);
    if (!p) continue;
    const std::string ppath = child(path, temperature_name(t));
    if (!r.object(*p, ppath, {"label", "stage", "next_action", "sla_hours"})) continue;
    Play& play = plays[static_cast<std::size_t>(t)];
    play.label = r.string(*p, "label", ppath).value_or(play.label);
    play.stage = r.string(*p, "stage", ppath).value_or(play.stage);
    play.next_action = r.string(*p, "next_action", ppath).value_or(play.next_action);
    if (auto sla = r.number(*p, "sla_hours", ppath)) {
      if (*sla <= 0) {
        r.fail(ErrorCode::ModelInvalidValue, child(ppath, "sla_hours"), "sla_hours must be more than 0");
      } else {
        play.sla_hours = *sla;
      }
    }
  }
}

/// Line and column (1-based) of byte `offset` in `text`.
std::pair<std::int64_t, std::int64_t> line_column(std::string_view text, std::size_t offset) {
  std::int64_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

/// Reads the whole model; problems go to `r.errors`.
/// The model's JSON, or nothing with the reason in `r` (a parse error's line and column).
std::optional<Json> parse_json(ModelReader& r, std::string_view text) {
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    const auto [line, column] = line_column(text, e.byte > 0 ? e.byte - 1 : 0);
    std::string what = e.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error ..." -> the part after ": "
    const std::size_t colon = what.find(": ", what.find("column"));
    std::string detail = colon == std::string::npos ? what : what.substr(colon + 2);
    // "...; last read: '<bytes>'" quotes the input, which may be anything (binary, not UTF-8): the
    // line and column already say where.
    detail = detail.substr(0, detail.find("; last read:"));
    r.errors.push_back(Error{ErrorCode::ModelInvalidJson, "the model is not valid JSON: " + detail, line, column, ""});
    return std::nullopt;
  } catch (const Json::exception& e) {
    // A number too large for a double ("2e+308"): out_of_range.406, with no position.
    const std::string what = e.what();
    const std::size_t bracket = what.find("] ");
    r.errors.push_back(
        Error{ErrorCode::ModelInvalidJson,
              "the model is not valid JSON: " + (bracket == std::string::npos ? what : what.substr(bracket + 2))});
    return std::nullopt;
  }
}

/// The model's own column names ("columns") and domain lists ("domain_lists").
void read_columns_and_domains(ModelReader& r, const Json& j, const std::string& root, ScoringModel& model) {
  if (const Json* c = r.get(j, "columns", root, false)) {
    if (c->is_object()) {
      for (const auto& item : c->items()) {
        const std::string path = child("/columns", item.key());
        if (item.key().empty() || item.key().rfind("column:", 0) == 0) {
          r.fail(ErrorCode::ModelInvalidValue, path, "a field name cannot be empty or start with \"column:\"");
          continue;
        }
        if (auto names = r.strings(item.value(), path, true)) model.columns[item.key()] = *names;
      }
    } else {
      r.fail(ErrorCode::ModelTypeMismatch, "/columns", "expected an object of field -> header names");
    }
  }
  if (const Json* d = r.get(j, "domain_lists", root, false)) {
    if (d->is_object()) {
      for (const auto& item : d->items()) {
        if (auto names = r.strings(item.value(), child("/domain_lists", item.key()), false)) {
          model.domain_lists[item.key()] = *names;
        }
      }
    } else {
      r.fail(ErrorCode::ModelTypeMismatch, "/domain_lists", "expected an object of list name -> domains");
    }
  }
}

ScoringModel read_model(ModelReader& r, std::string_view text) {
  ScoringModel model;
  model.plays = {
      Play{"Cold", "awareness", "Educate with content: blog posts, guides, intro videos", std::nullopt},
      Play{"Warm", "consideration", "Nurture: case studies, webinars, email sequences, comparisons", std::nullopt},
      Play{"Hot", "decision", "Hand to sales: personalised demo, trial or call", 24.0}};
  const std::optional<Json> parsed = parse_json(r, text);
  if (!parsed) return model;
  const Json& j = *parsed;
  const std::string root;
  if (!r.object(j, root,
                {"leadscore_model", "name", "description", "as_of", "missing_values", "columns", "domain_lists", "fit",
                 "engagement", "disqualifiers", "segments", "temperatures"})) {
    return model;
  }
  if (auto version = r.number(j, "leadscore_model", root, true); version && *version != kModelFormatVersion) {
    r.fail(ErrorCode::ModelInvalidValue, "/leadscore_model",
           "this scorer reads model format " + std::to_string(kModelFormatVersion) + ", not " +
               ModelReader::format(*version));
  }
  model.name = r.string(j, "name", root).value_or("Unnamed model");
  model.description = r.string(j, "description", root).value_or("");
  model.as_of = read_date(r, j, "as_of", root);
  if (const Json* m = r.get(j, "missing_values", root, false)) {
    if (auto words = r.strings(*m, "/missing_values", false)) model.missing = MissingValues(*words);
  }
  read_columns_and_domains(r, j, root, model);
  RuleReader rules(r, model);
  for (Axis axis : {Axis::Fit, Axis::Engagement}) {
    const std::string path = std::string("/") + axis_name(axis);
    if (const Json* a = r.get(j, axis_name(axis), root, true)) {
      read_axis(r, rules, *a, path, axis == Axis::Fit ? model.fit : model.engagement);
    }
  }
  if (const Json* d = r.get(j, "disqualifiers", root, false)) {
    if (!d->is_array()) {
      r.fail(ErrorCode::ModelTypeMismatch, "/disqualifiers", "expected an array of disqualifiers");
    } else {
      for (std::size_t i = 0; i < d->size(); ++i) {
        if (auto rule = rules.read((*d)[i], child("/disqualifiers", i), true)) model.disqualifiers.push_back(*rule);
      }
    }
  }
  if (const Json* s = r.get(j, "segments", root, false)) {
    read_segments(r, *s, "/segments", model.segments);
  } else {
    read_segments(r, Json::object(), "/segments", model.segments);
  }
  if (const Json* t = r.get(j, "temperatures", root, false)) read_plays(r, *t, "/temperatures", model.plays);
  return model;
}

}  // namespace

Result<ScoringModel> parse_model(std::string_view json_text) {
  ModelReader reader;
  ScoringModel model = read_model(reader, json_text);
  if (!reader.errors.empty()) return reader.errors.front();
  return model;
}

std::vector<Error> check_model(std::string_view json_text) {
  ModelReader reader;
  read_model(reader, json_text);
  return reader.errors;
}

const ScoringModel& default_model() {
  static const ScoringModel kModel = [] {
    auto parsed = parse_model(default_model_json());
    // The built-in model is validated by the tests; failing here is a defect, reported as one.
    if (!parsed.ok()) throw std::logic_error("built-in model: " + parsed.error().to_string());
    return std::move(parsed).value();
  }();
  return kModel;
}

LEADSCORE_SETUP_CODE_END

}  // namespace leadscore
