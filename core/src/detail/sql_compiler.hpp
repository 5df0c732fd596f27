#pragma once
/// The compiler behind compile_sql: the model as one SELECT, built as levels of a WITH, each column
/// defined once on the first level above the columns it reads. What reads one table column only
/// (its rules' outcomes, its decay factor) is worked out once per distinct text of that column, in
/// levels of its own, and joined back to the rows by the text; so is a reading of cells (a number,
/// a yes/no, a date, a domain), once for the distinct texts of every column that needs it. sql_readings.cpp reads cells
/// as values.cpp does; sql_export.cpp writes the rules (rules.hpp), axes, segments and reasons.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "detail/sql_dialect.hpp"
#include "leadscore/scorer.hpp"
#include "leadscore/sql_export.hpp"
#include "leadscore/value_words.hpp"

namespace leadscore::sql {

using detail::SqlDialectWriter;
namespace words = value_words;

/// A column of the query: its name and the CTE level that defines it.
struct Value {
  std::string name;
  int level = 0;
};

/// Levels of a WITH: per level, the columns it defines (name, expression), and each column's level.
struct Levels {
  std::vector<std::vector<std::pair<std::string, std::string>>> defined;
  std::map<std::string, int> level_of;
  std::map<std::string, std::string> comment_of;  // a line for the reader above a column's definition
};

/// A reading worked out once per distinct text: its levels read `text` (level 0: every distinct
/// text of `columns`) up to `result`.
struct Reading {
  Levels levels;
  Value text;
  Value result;
  std::vector<std::size_t> columns;
};

/// A reading's or a column's last level joined by a column's text.
struct Join {
  std::string table;
  std::string alias;
  std::string on;  // the condition
};

/// A table column's own values: level 0 holds its distinct texts; `exported` is what the rows read.
struct ColumnScope {
  Levels levels;
  std::vector<Join> joins;  // readings, on level 1
  std::vector<std::string> exported;
};

/// Regular-expression pieces in the subset every engine reads.
constexpr std::string_view kSpaceClass = " \\x09\\x0a\\x0b\\x0c\\x0d\xC2\xA0\xE2\x80\xAF\xE2\x80\x89";
/// ASCII that is not a lowercase letter or digit: the core's word boundaries (non-ASCII is a word byte).
constexpr std::string_view kNonWordClass = "[\\x01-\\x2f\\x3a-\\x60\\x7b-\\x7f]";
constexpr std::string_view kLetters = "abcdefghijklmnopqrstuvwxyz";

/// `text` as a regular expression matching it, word bytes as they are and the rest escaped.
std::string regex_escape(std::string_view text);

/// Characters (not bytes) in UTF-8 text: SQL lengths count characters.
std::size_t char_count(std::string_view text);

/// Calls `f` with each generated column name ("ls_<hint>_<n>") that `expr` reads.
template <class F>
void for_each_column(const std::string& expr, F&& f) {
  for (std::size_t at = expr.find("ls_"); at != std::string::npos; at = expr.find("ls_", at + 1)) {
    if (at > 0 && (std::isalnum(static_cast<unsigned char>(expr[at - 1])) || expr[at - 1] == '_')) continue;
    std::size_t end = at + 3;
    while (end < expr.size() && (std::isalnum(static_cast<unsigned char>(expr[end])) || expr[end] == '_')) ++end;
    f(expr.substr(at, end - at));
    at = end - 1;
  }
}

/// The parts of a scaled number ("-$1.5M") read from one text.
struct ScaledSql {
  Value ok;      // 1 when the text is a number
  Value value;   // the number, scale applied
  Value factor;  // the scale word's factor (1 without one)
};

class SqlCompiler {
 public:
  SqlCompiler(const ScoringModel& model, const SqlOptions& options)
      : model_(model), options_(options), d_(options.dialect) {}

  Result<std::string> compile();

 private:
  // --- the steps of compile(), in order ---
  /// The table's columns as the core would map a list whose headers are their names.
  void map_table();
  /// The columns returned with the scores.
  Status choose_keys();
  /// Each rule whose column the table has, and which hits of a group count.
  void bind_rules();
  /// Each axis's points in tenths, and the disqualifier that holds.
  void sum_axes();
  /// Each axis's 0-100 score, the total and the grade.
  void score_axes();
  /// Why a hot total is held back, and the temperature.
  void segment();
  /// Each hit's impact and the fields of its text, and the shown hits sorted.
  void reason_pieces();
  /// The reasons, in order.
  void join_reasons();
  /// The shown hits' texts sorted and joined with "; ": per hit, its sort key (minus its impact:
  /// shown when < 0), its place in the model and the fields its text is written from.
  std::string sorted_reasons(const std::vector<std::vector<std::string>>& hits) const;
  /// One hit's text from its fields, named by `field` ("k", "i", "l", "t", "m", "c", "f").
  std::string reason_text(const std::function<std::string(const char*)>& field) const;
  /// The query's text.
  std::string assemble() const;
  /// Levels 1 and up of `levels` as CTEs named `prefix`<level>, each carrying `keys` and what a
  /// later level or `results` reads; `joins` after level 1's FROM.
  std::string levels_sql(const std::string& prefix, const Levels& levels, const std::vector<std::string>& results,
                         const std::string& keys, const std::string& joins) const;
  /// Its heading comment and its first level, which reads the table.
  std::string heading_and_table() const;
  std::int64_t column_of(const std::string& field);
  std::string fence_open() const { return options_.dialect == SqlDialect::SQLite ? " AS MATERIALIZED (" : " AS ("; }
  std::string fence_close() const { return options_.dialect == SqlDialect::Postgres ? " OFFSET 0)" : ")"; }

  // --- building the levels of the query ---
  /// A new column `expr`, on the first level above every column it reads: in a table column's
  /// scope when it reads only that column's values, else in the rows' levels (from level 2, under
  /// the joins of level 1).
  Value define(const std::string& hint, const std::string& expr, const std::string& comment = "");
  /// Makes a column's own value `name` readable by the rows (from level 1).
  void export_to_rows(const std::string& name);
  /// Column `name` = `expr` on level 1 of `levels` (what a join brings).
  static void on_level_one(Levels& levels, const std::string& name, const std::string& expr);
  std::string text(std::string_view value) const { return d_.text(value); }
  std::string num(double value) const { return d_.number(value); }
  std::string in_list(const std::string& e, const std::vector<std::string>& values) const;
  std::string flag(const std::string& condition) const { return "CASE WHEN " + condition + " THEN 1 ELSE 0 END"; }
  std::string is(const Value& v) const { return "(" + v.name + " = 1)"; }
  std::string trim_space(const std::string& e) const;
  std::string round_half_away(const std::string& e) const;
  std::string round_tenths(const std::string& e) const;
  std::string power_of_ten(const std::string& e) const;
  std::string tenths_text(const std::string& tenths, bool sign, bool trim_zero) const;

  // --- reading cells, as values.cpp does ---
  ScaledSql scaled(const Value& candidate, const std::string& in_range);
  /// The plain number a mantissa holds: its digits, how many of them are decimals, and whether its
  /// grouping and decimal marks make a number, as parse_plain_number decides.
  struct PlainSql {
    Value digits;
    Value decimals;
    Value ok;
  };
  PlainSql plain_number(const Value& mantissa, const std::string& in_range);
  /// What parse_quantity reads first: the whole text, or the number of "10000+", "over 500" or
  /// "10 or more" (at most one of them applies to a text).
  struct Primary {
    Value kind;      // 0 the whole text, 1 a trailing "+", 2 a prefix phrase, 3 a suffix phrase, 4 plain digits
    Value at_least;  // for a prefix: 1 when it opens upward ("over"), 0 downward ("under")
    ScaledSql number;
  };
  Primary primary(const Value& cell);
  /// The readings of a table's column: each worked out once per distinct text, then joined.
  Value quantity(std::size_t column) { return read_column(SqlColumnType::Number, column, &SqlCompiler::quantity_of); }
  Value boolean(std::size_t column) { return read_column(SqlColumnType::Boolean, column, &SqlCompiler::boolean_of); }
  Value date(std::size_t column) { return read_column(SqlColumnType::Date, column, &SqlCompiler::date_of); }
  /// A reading of a column: from its value when the column has that type, else from its text.
  Value read_column(SqlColumnType as, std::size_t column, Value (SqlCompiler::*read)(const Value&));
  Value domain(std::size_t column) { return joined("domain", column, &SqlCompiler::domain_of); }
  Value email_valid(std::size_t column) { return joined("email", column, &SqlCompiler::email_valid_of); }
  Value joined(const char* reading, std::size_t column, Value (SqlCompiler::*read)(const Value&));
  /// The readings of one cell's text.
  Value quantity_of(const Value& cell);
  Value boolean_of(const Value& cell);
  Value date_of(const Value& cell);
  Value domain_of(const Value& cell);
  Value email_valid_of(const Value& cell);
  /// parse_date's reading of a lowered cell, one number or word a step (at most kMaxDateTokens).
  struct DateTokens {
    Value rest, count, first, second, third, month, separator, done;  // done: 0 reading, 1 complete, 2 not a date
  };
  DateTokens date_tokens(const Value& lowered);
  /// The day the tokens name (days since 1970-01-01), NULL when they name none: days_from_civil.
  Value civil_day(const DateTokens& tokens);
  Value decay_factor(const Decay& decay, std::int64_t column);

  // --- scoring, as scorer.cpp does ---
  struct RuleSql {
    const Rule* rule;
    Axis axis;
    std::size_t column;
    Value points;   // tenths after cap and decay, NULL when the rule does not hit
    Value missing;  // 1 when the hit is the rule's missing_points
    Value capped;   // 1 when the cap cut the points
    Value factor;   // the decay factor applied (1 when none)
    Value band;     // bands rules: the band that held (0 when none); unnamed for other rules
    Value counted;  // 1 when the hit counts (the best of its group)
  };
  RuleSql rule_sql(const Rule& rule, Axis axis, std::size_t column, const Decay* decay, std::int64_t decay_column);
  /// When `rule` fires on a present cell of `column` (lowered: `l`), its base points and band: the
  /// SQL of rules::outcome.
  struct Match {
    std::string matched;
    std::string base;
    std::string band;
  };
  Match match_sql(const Rule& rule, std::size_t column, const Value& l);
  /// A regular expression for any of `phrases` on word boundaries (contains_phrase).
  std::string phrases_pattern(const std::vector<std::string>& phrases) const;
  /// Whether domain `dom` is one of `domains` or under one (DomainIn).
  std::string domain_in(const Value& dom, const std::vector<std::string>& domains) const;
  /// Whether date `d` is within or older than the rule's days (WithinDays, OlderThanDays).
  std::string age_test(const Value& d, const Rule& rule) const;
  std::string label_of(const RuleSql& r) const;
  /// What a rule gives, in words, for the line above its points: "Requested a demo (demo_requested): +30".
  std::string rule_comment(const Rule& rule, const Decay* decay) const;

  std::size_t column_index(const std::string& name);
  /// A column's text as the table holds it (NULL as ''): what its scope is joined by.
  static std::string raw_name(std::size_t column) { return "ls_r_" + std::to_string(column); }
  /// A typed column's value as the table holds it.
  static std::string typed_name(std::size_t column) { return "ls_v_" + std::to_string(column); }
  SqlColumnType column_type(std::size_t column) const;
  /// Where a text the SQL would carry (a key, a name, a model's text) holds `c` ("" when none).
  std::string texts_holding(const std::vector<std::string>& keys, char c) const;
  Error unsupported(const std::string& where, const std::string& why) const;
  /// What separates Snowflake's sorted reasons until their sort keys come off.
  static constexpr char kReasonMark = '\x1e';
  Value lowered(const Value& cell);
  Value missing(const Value& cell);

  const ScoringModel& model_;
  const SqlOptions& options_;
  SqlDialectWriter d_;
  std::vector<std::string> columns_;                           // the table's columns the model reads
  std::vector<Value> trimmed_;                                 // per column: its text, trimmed (in its scope)
  Levels main_;                                                // the query's levels, row by row
  Levels* at_ = &main_;                                        // where define() adds a column
  std::map<std::string, Reading> readings_;                    // by name: "quantity", "date"...
  std::vector<ColumnScope> scopes_;                            // per column
  std::map<std::string, std::size_t> scope_of_;                // a column's own values -> the column
  std::map<std::pair<std::string, std::string>, Value> memo_;  // (reading, text or column) -> value
  std::map<std::string, Value> decay_memo_;
  std::map<std::string, Primary> primary_memo_;  // by text
  int next_name_ = 0;
  // What the steps of compile() work out.
  std::vector<std::string> headers_;
  std::map<std::string, std::int64_t, std::less<>> field_columns_;
  std::unique_ptr<ColumnMapping> mapping_;
  std::unique_ptr<Scorer> scorer_;
  std::vector<std::string> keys_;
  std::vector<RuleSql> fit_, engagement_, disqualifiers_;
  Value fit_points_, engagement_points_, disqualified_, fit_score_, engagement_score_, grade_, held_back_;
  std::string fit_value_, engagement_value_, total_value_;
  Value temperature_, reasons_;
  Value sorted_reasons_;
};

}  // namespace leadscore::sql
