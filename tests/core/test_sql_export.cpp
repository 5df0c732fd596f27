// The SQL compiler's text, dialect by dialect. Results are checked on real engines by
// tests/warehouse (SQLite, DuckDB, PostgreSQL); here every dialect's text is read with that
// engine's own lexical rules (string literals, quoted identifiers) and checked against the
// functions its documentation lists, so BigQuery, Snowflake, Spark and Trino text is checked too
// (tests/warehouse/grammars.test.mjs parses it with grammars built from those engines).
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "leadscore/leadscore.hpp"

using namespace leadscore;

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// What one dialect's lexer sees: the function names called, and whether the text is well formed.
struct Lexed {
  std::set<std::string> functions;
  std::string problem;  // empty when every literal, identifier and parenthesis closes
  std::size_t ctes = 0;
};

Lexed lex(const std::string& sql, SqlDialect d) {
  Lexed out;
  const bool backslash_escapes = d == SqlDialect::BigQuery || d == SqlDialect::Snowflake || d == SqlDialect::Spark;
  const char ident_quote = d == SqlDialect::BigQuery || d == SqlDialect::Spark ? '`' : '"';
  int depth = 0;
  std::string word;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {  // a comment to the end of the line
      while (i < sql.size() && sql[i] != '\n') ++i;
      continue;
    }
    const bool raw = d == SqlDialect::BigQuery && c == 'r' && i + 1 < sql.size() && sql[i + 1] == '\'' &&
                     (i == 0 || !std::isalnum(static_cast<unsigned char>(sql[i - 1])));
    if (c == '\'' || raw) {
      if (raw) ++i;
      std::size_t j = i + 1;
      for (;; ++j) {
        if (j >= sql.size()) {
          out.problem = "a string literal never closes at byte " + std::to_string(i);
          return out;
        }
        if (backslash_escapes && !raw && sql[j] == '\\') {
          ++j;
          continue;
        }
        if (sql[j] == '\'') {
          if (!backslash_escapes && j + 1 < sql.size() && sql[j + 1] == '\'') {
            ++j;
            continue;
          }
          break;
        }
        if (static_cast<unsigned char>(sql[j]) < 0x20 && sql[j] != '\t' && backslash_escapes) {
          out.problem = "a raw control character in a literal at byte " + std::to_string(j);
          return out;
        }
      }
      i = j;
      word.clear();
      continue;
    }
    if (c == ident_quote) {
      const std::size_t j = sql.find(ident_quote, i + 1);
      if (j == std::string::npos) {
        out.problem = "a quoted identifier never closes";
        return out;
      }
      i = j;
      word.clear();
      continue;
    }
    if (c == '"' || c == '`') {
      out.problem = std::string("a ") + c + " quote this dialect does not use for identifiers";
      return out;
    }
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
      word += c;
      continue;
    }
    if (c == '(') {
      ++depth;
      if (!word.empty() && !std::isdigit(static_cast<unsigned char>(word[0]))) out.functions.insert(word);
    } else if (c == ')') {
      if (--depth < 0) {
        out.problem = "a ) without its (";
        return out;
      }
    } else if (c == '~' && d != SqlDialect::Postgres) {
      out.problem = "the ~ operator";
      return out;
    }
    if (word == "AS" && c == ' ' && sql.compare(i + 1, 3, "ls_") == 0) ++out.ctes;
    word.clear();
  }
  if (depth != 0) out.problem = "unbalanced parentheses";
  return out;
}

/// The functions and keywords each engine's documentation lists, of those the compiler may write.
const std::set<std::string>& documented(SqlDialect d) {
  static const std::set<std::string> common = {"CAST", "COALESCE", "abs",  "length", "replace",     "substr", "power",
                                               "IN",   "AS",       "FROM", "SELECT", "WITH",        "THEN",   "ELSE",
                                               "AND",  "OR",       "NOT",  "WHEN",   "MATERIALIZED"};
  static std::map<SqlDialect, std::set<std::string>> by;
  if (by.empty()) {
    by[SqlDialect::Postgres] = {"btrim",     "ltrim", "rtrim", "strpos",    "octet_length",
                                "translate", "trunc", "chr",   "string_agg"};
    by[SqlDialect::DuckDB] = {
        "trim", "ltrim",          "rtrim",     "instr",           "strlen",         "translate", "trunc",
        "chr",  "regexp_matches", "date_diff", "array_to_string", "list_transform", "list_sort", "list_filter"};
    by[SqlDialect::SQLite] = {"trim", "ltrim", "rtrim", "instr", "lower", "char", "julianday", "date", "group_concat"};
    by[SqlDialect::BigQuery] = {
        "trim", "ltrim",           "rtrim",     "strpos",       "BYTE_LENGTH",     "translate", "trunc",  "DIV",
        "MOD",  "REGEXP_CONTAINS", "UNIX_DATE", "CURRENT_DATE", "ARRAY_TO_STRING", "ARRAY",     "UNNEST", "STRUCT"};
    by[SqlDialect::Snowflake] = {"trim",
                                 "ltrim",
                                 "rtrim",
                                 "POSITION",
                                 "LENGTH",
                                 "TO_BINARY",
                                 "translate",
                                 "trunc",
                                 "FLOOR",
                                 "MOD",
                                 "REGEXP_INSTR",
                                 "DATEDIFF",
                                 "TO_DATE",
                                 "CURRENT_DATE",
                                 "IFF",
                                 "LPAD",
                                 "TO_VARCHAR",
                                 "CHR",
                                 "REPLACE",
                                 "REGEXP_REPLACE",
                                 "ARRAY_TO_STRING",
                                 "ARRAY_SORT",
                                 "ARRAY_CONSTRUCT_COMPACT"};
    by[SqlDialect::Spark] = {"trim",         "instr", "octet_length", "translate", "datediff",  "current_date",
                             "named_struct", "array", "array_sort",   "filter",    "transform", "array_join"};
    by[SqlDialect::Trino] = {"trim",      "ltrim",      "rtrim",  "strpos",      "to_utf8",
                             "translate", "truncate",   "chr",    "regexp_like", "date_diff",
                             "ROW",       "array_sort", "filter", "transform",   "array_join"};
  }
  static std::map<SqlDialect, std::set<std::string>> all;
  auto& out = all[d];
  if (out.empty()) {
    out = common;
    out.insert(by[d].begin(), by[d].end());
  }
  return out;
}

ScoringModel model_file(const std::string& name) {
  return parse_model(read_text(std::string(LEADSCORE_FIXTURES_DIR) + "/../warehouse/" + name)).value();
}

}  // namespace

TEST_CASE("sql: every dialect's text is well formed and calls only documented functions", "[sql]") {
  const std::vector<ScoringModel> models = {default_model(), model_file("kitchen_sink_model.json"),
                                            model_file("matrix_model.json")};
  for (SqlDialect d : sql_dialects()) {
    for (const ScoringModel& model : models) {
      INFO(sql_dialect_name(d) << " / " << model.name);
      SqlOptions options;
      options.dialect = d;
      options.keys = {"Lead ID"};
      options.table = "crm.leads";
      const auto sql = compile_sql(model, options);
      REQUIRE(sql.ok());
      const Lexed lexed = lex(sql.value(), d);
      CHECK(lexed.problem.empty());
      INFO(lexed.problem);
      for (const std::string& f : lexed.functions) {
        INFO("function " << f);
        CHECK(documented(d).count(f) == 1);
      }
      // One statement, ending with the result columns.
      CHECK(sql.value().find(" AS lead_reasons\nFROM ") != std::string::npos);
      CHECK(sql.value().back() == '\n');
    }
  }
}

TEST_CASE("sql: quoting follows each engine", "[sql]") {
  SqlOptions options;
  options.keys = {"Lead \"ID\"", "it's`"};
  options.table = "my schema.leads";
  options.dialect = SqlDialect::Postgres;
  std::string sql = compile_sql(default_model(), options).value();
  CHECK(sql.find("FROM \"my schema\".\"leads\"") != std::string::npos);
  CHECK(sql.find("AS \"Lead \"\"ID\"\"\"") != std::string::npos);
  CHECK(sql.find("-- Run with SET jit = off") != std::string::npos);
  options.dialect = SqlDialect::BigQuery;
  sql = compile_sql(default_model(), options).value();
  CHECK(sql.find("FROM `my schema`.`leads`") != std::string::npos);
  CHECK(sql.find("AS `it's\\``") != std::string::npos);
  CHECK(sql.find("REGEXP_CONTAINS(") != std::string::npos);
  options.dialect = SqlDialect::Spark;
  sql = compile_sql(default_model(), options).value();
  CHECK(sql.find("AS `it's```") != std::string::npos);
  CHECK(sql.find(" RLIKE '") != std::string::npos);
  options.dialect = SqlDialect::Snowflake;
  sql = compile_sql(default_model(), options).value();
  // Snowflake's REGEXP_LIKE matches whole texts only: searches go through REGEXP_INSTR.
  CHECK(sql.find("REGEXP_LIKE") == std::string::npos);
  CHECK(sql.find("REGEXP_INSTR(") != std::string::npos);
  // Doubles stay doubles: Snowflake and Spark read 0.5 as a fixed-point number.
  CHECK(sql.find("'0.5'::DOUBLE") != std::string::npos);
  options.dialect = SqlDialect::Spark;
  CHECK(compile_sql(default_model(), options).value().find("(0.5D)") != std::string::npos);
  options.dialect = SqlDialect::Trino;
  sql = compile_sql(default_model(), options).value();
  CHECK(sql.find("DOUBLE '0.5'") != std::string::npos);
  CHECK(sql.find("regexp_like(") != std::string::npos);
  CHECK(sql.find("AS \"it's`\"") != std::string::npos);
}

TEST_CASE("sql: the mapping decides which rules can fire, as a list's columns do", "[sql]") {
  SqlOptions options;
  options.dialect = SqlDialect::SQLite;
  options.columns = {{"email", "Email"}, {"employees", "Company Size"}, {"job_title", std::nullopt}};
  const std::string sql = compile_sql(default_model(), options).value();
  CHECK(sql.find("--   employees <- Company Size") != std::string::npos);
  CHECK(sql.find("--   job_title: no column (its rules never fire)") != std::string::npos);
  CHECK(sql.find("\"Company Size\"") != std::string::npos);
  CHECK(sql.find("\"job_title\"") == std::string::npos);
  // record_id or email identifies the leads when no key is given.
  CHECK(sql.find("AS \"Email\", ") != std::string::npos);
  options.columns = {{"employees", "Company Size"}};
  const auto no_key = compile_sql(default_model(), options);
  REQUIRE_FALSE(no_key.ok());
  CHECK(no_key.error().code == ErrorCode::InvalidArgument);
  CHECK(no_key.error().message.find("identify a lead") != std::string::npos);
}

TEST_CASE("sql: what no engine's text can hold is refused, not changed", "[sql]") {
  std::string text = read_text(std::string(LEADSCORE_FIXTURES_DIR) + "/../warehouse/matrix_model.json");
  const std::string label = "\"points\": 15}";
  text.replace(text.find(label), label.size(), "\"points\": 15, \"label\": \"VP\\u0000\"}");
  const auto model = parse_model(text);
  REQUIRE(model.ok());
  SqlOptions options;
  options.keys = {"id"};
  for (SqlDialect d : sql_dialects()) {
    options.dialect = d;
    const auto sql = compile_sql(model.value(), options);
    REQUIRE_FALSE(sql.ok());
    CHECK(sql.error().code == ErrorCode::SqlUnsupported);
    CHECK(sql.error().json_path == "/fit/rules/1");
    CHECK(std::string(error_id(sql.error().code)) == "sql.unsupported");
  }
  options.keys = {std::string("i\0d", 3)};
  CHECK(compile_sql(default_model(), options).error().code == ErrorCode::SqlUnsupported);
}

TEST_CASE("sql: column mappings in both forms", "[sql]") {
  const auto plain = parse_sql_columns(R"({"email": "E-mail", "employees": null})");
  REQUIRE(plain.ok());
  CHECK(plain.value().at("email") == std::optional<std::string>("E-mail"));
  CHECK_FALSE(plain.value().at("employees").has_value());
  const auto listed = parse_sql_columns(
      R"({"columns": [{"index": 0, "header": "Mail", "field": "email"}, {"index": 1, "header": "Notes"}]})");
  REQUIRE(listed.ok());
  CHECK(listed.value().size() == 1);
  CHECK(listed.value().at("email") == std::optional<std::string>("Mail"));
  CHECK_FALSE(parse_sql_columns("[1, 2]").ok());
  CHECK_FALSE(parse_sql_columns(R"({"email": 3})").ok());
  CHECK(parse_sql_columns(R"({"email": 3})").error().json_path == "/email");
  CHECK_FALSE(parse_sql_columns("{").ok());
  CHECK(sql_dialect_named("postgresql") == SqlDialect::Postgres);
  CHECK_FALSE(sql_dialect_named("oracle").has_value());
}

TEST_CASE("dbt: the project reads a source and keeps the query from Jinja", "[sql]") {
  SqlOptions options;
  options.dialect = SqlDialect::DuckDB;
  options.table = "warehouse.crm.leads";
  options.keys = {"Lead {{ID}}"};
  const auto files = dbt_project(default_model(), options);
  REQUIRE(files.ok());
  std::map<std::string, std::string> by_path;
  for (const DbtFile& f : files.value()) by_path[f.path] = f.text;
  REQUIRE(by_path.count("models/lead_scores.sql") == 1);
  const std::string& model = by_path["models/lead_scores.sql"];
  CHECK(model.rfind("{{ config(materialized='table') }}\n{% raw %}-- leadscore: ", 0) == 0);
  CHECK(model.find("FROM {% endraw %}{{ source(\"crm\", \"leads\") }}{% raw %}") != std::string::npos);
  // dbt wraps the query in its own statement: no semicolon of ours ends it.
  const std::string end = "{% endraw %}\n";
  REQUIRE(model.size() > end.size() + 1);
  CHECK(model.compare(model.size() - end.size(), end.size(), end) == 0);
  CHECK(model[model.size() - end.size() - 1] != ';');
  CHECK(by_path["models/sources.yml"].find("    database: \"warehouse\"\n    schema: \"crm\"\n") != std::string::npos);
  CHECK(by_path["models/schema.yml"].find("- name: \"Lead {{ID}}\"\n        quote: true\n") != std::string::npos);
  CHECK(by_path.count("dbt_project.yml") == 1);
  // A text that would end the raw block is refused, not written.
  ScoringModel model_with = default_model();
  model_with.fit.rules[0].label = "{% endraw %}{{ run_query('drop table x') }}";
  const auto refused = dbt_project(model_with, options);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::SqlUnsupported);
}

TEST_CASE("sql: typed columns are read from their values; their types are checked", "[sql]") {
  const auto types = parse_sql_types(R"({"employees": "number", "last_activity_date": "timestamp", "note": "text"})");
  REQUIRE(types.ok());
  CHECK(types.value().at("employees") == SqlColumnType::Number);
  CHECK(types.value().at("last_activity_date") == SqlColumnType::Timestamp);
  const auto bad = parse_sql_types(R"({"employees": "integer"})");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().json_path == "/employees");
  CHECK_FALSE(parse_sql_types("[]").ok());
  SqlOptions options;
  options.dialect = SqlDialect::Postgres;
  options.keys = {"id"};
  options.types = types.value();
  const std::string sql = compile_sql(default_model(), options).value();
  // The value as the table holds it, beside its text; read as a number and as a date.
  CHECK(sql.find("\"employees\" AS ls_v_") != std::string::npos);
  CHECK(sql.find("CAST(ls_v_") != std::string::npos);
  CHECK(sql.find("(CAST(ls_v_") != std::string::npos);
  CHECK(sql.find(" AS DATE) - DATE '1970-01-01')") != std::string::npos);
}

TEST_CASE("sql: Snowflake sorts the reasons as texts behind fixed-width keys", "[sql]") {
  SqlOptions options;
  options.dialect = SqlDialect::Snowflake;
  options.keys = {"id"};
  const std::string sql = compile_sql(default_model(), options).value();
  CHECK(sql.find("ARRAY_SORT(ARRAY_CONSTRUCT_COMPACT(CASE WHEN ") != std::string::npos);
  CHECK(sql.find("REGEXP_REPLACE(") != std::string::npos);
  // The text grows with the rules, not with their square: one key per hit.
  const std::size_t hits = default_model().fit.rules.size() + default_model().engagement.rules.size();
  std::size_t keys = 0;
  for (std::size_t at = sql.find("LPAD(TO_VARCHAR("); at != std::string::npos;
       at = sql.find("LPAD(TO_VARCHAR(", at + 1))
    ++keys;
  CHECK(keys == 2 * hits);  // the impact's and the model order's
  // The mark between the sorted texts cannot come from a label.
  ScoringModel marked = default_model();
  marked.engagement.rules[0].label = "Demo\x1erequested";
  const auto refused = compile_sql(marked, options);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::SqlUnsupported);
  CHECK(refused.error().json_path == marked.engagement.rules[0].json_path);
  options.dialect = SqlDialect::DuckDB;
  CHECK(compile_sql(marked, options).ok());
}
