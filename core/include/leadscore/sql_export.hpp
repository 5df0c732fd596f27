#pragma once
/// The scoring model compiled to one SQL SELECT, so that a warehouse scores a whole CRM with the
/// exact rules agreed in the browser: the same value parsing (numbers, ranges, booleans, dates,
/// placeholders), caps, decay, groups, segments, disqualifiers and reasons, row for row.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "leadscore/error.hpp"
#include "leadscore/model.hpp"

namespace leadscore {

enum class SqlDialect { Postgres, DuckDB, SQLite, BigQuery, Snowflake, Spark, Trino };

/// "postgres", "duckdb", "sqlite", "bigquery", "snowflake", "spark", "trino".
const char* sql_dialect_name(SqlDialect dialect) noexcept;
std::optional<SqlDialect> sql_dialect_named(std::string_view name) noexcept;
const std::vector<SqlDialect>& sql_dialects();

/// How a warehouse column is typed: a typed column is read as what it is, not parsed from text.
enum class SqlColumnType { Text, Number, Date, Timestamp, Boolean };

struct SqlOptions {
  SqlDialect dialect = SqlDialect::Postgres;
  /// The table (or view) holding one lead per row; "schema.table" parts are quoted one by one.
  std::string table = "leads";
  /// Written as it is in place of the quoted `table` when set (dbt_project: a source() call).
  std::string relation;
  /// Lead field -> the table's column; a field it does not name (or names with nullopt) has no
  /// column, and its rules never fire, as for a list without it. Empty: every field reads the
  /// model's first `columns` name, else a column named as the field. `column:<header>` fields
  /// read <header> unless named here.
  std::map<std::string, std::optional<std::string>, std::less<>> columns;
  /// Columns returned as they are, before the scores (a lead's id, email...). Empty: the columns of
  /// `record_id` and `email` when `columns` names them.
  std::vector<std::string> keys;
  /// Days since 1970-01-01 that recency and decay count from; unset: the model's as_of, else the
  /// warehouse's current date.
  std::optional<std::int32_t> as_of;
  /// Column -> its type, for the columns that are not text. A typed column's number, date or yes/no
  /// is read from the value itself: the same as the core reading the value's canonical text
  /// (digits, an ISO date, true/false).
  std::map<std::string, SqlColumnType, std::less<>> types;
};

/// The columns returned before the scores: `options.keys`, else the columns of record_id and email.
std::vector<std::string> sql_keys(const SqlOptions& options);

/// The SELECT for `model` in `options.dialect`, ending with a newline. The result columns are the
/// keys, then lead_score, lead_fit, lead_engagement, lead_temperature and lead_reasons.
/// Fails with sql.unsupported when the dialect cannot express the model exactly.
Result<std::string> compile_sql(const ScoringModel& model, const SqlOptions& options);

/// Reads a column mapping for `SqlOptions::columns`: either {"field": "Column" | null, ...} or the
/// output of `leadscore columns --json` ({"columns": [{"header": ..., "field": ...}, ...]}).
Result<std::map<std::string, std::optional<std::string>, std::less<>>> parse_sql_columns(std::string_view json_text);

/// Reads `SqlOptions::types`: {"Column": "number" | "date" | "timestamp" | "boolean" | "text", ...}.
Result<std::map<std::string, SqlColumnType, std::less<>>> parse_sql_types(std::string_view json_text);

}  // namespace leadscore
