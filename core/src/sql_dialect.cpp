#include "detail/sql_dialect.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace leadscore::detail {

namespace {

using D = SqlDialect;

/// The shortest decimal text that reads back as exactly `value`.
std::string exact_decimal(double value) {
  char buffer[40];
  for (int digits = 15; digits <= 17; ++digits) {
    std::snprintf(buffer, sizeof buffer, "%.*g", digits, value);
    if (std::strtod(buffer, nullptr) == value) break;
  }
  std::string out = buffer;
  // A decimal point or an exponent: SQLite reads "20" as an integer (and 20/3 as 6).
  if (out.find_first_of(".eEn") == std::string::npos) out += ".0";
  return out;
}

/// `quote` + text with `quote` doubled + `quote`.
std::string quoted(std::string_view value, char quote) {
  std::string out(1, quote);
  for (char c : value) {
    out += c;
    if (c == quote) out += quote;
  }
  out += quote;
  return out;
}

bool is_control(char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; }

}  // namespace

std::string SqlDialectWriter::ident(std::string_view name) const {
  switch (d_) {
    case D::BigQuery: {
      std::string out = "`";
      for (char c : name) {
        if (c == '`' || c == '\\') out += '\\';
        out += c;
      }
      return out + "`";
    }
    case D::Spark: return quoted(name, '`');
    default: return quoted(name, '"');
  }
}

std::string SqlDialectWriter::text(std::string_view value) const {
  if (d_ == D::BigQuery || d_ == D::Snowflake || d_ == D::Spark) {
    // These engines read backslash escapes in every string literal.
    std::string out = "'";
    for (char c : value) {
      if (c == '\'' || c == '\\') {
        out += '\\';
        out += c;
      } else if (is_control(c)) {
        char escape[8];
        std::snprintf(escape, sizeof escape, "\\u%04X", static_cast<unsigned>(static_cast<unsigned char>(c)));
        out += escape;
      } else {
        out += c;
      }
    }
    return out + "'";
  }
  // Standard strings: quotes doubled; control characters joined in with chr() so the SQL stays printable.
  std::string out;
  std::string run;
  auto flush = [&](bool force) {
    if (run.empty() && !force) return;
    if (!out.empty()) out += " || ";
    out += quoted(run, '\'');
    run.clear();
  };
  for (char c : value) {
    if (!is_control(c)) {
      run += c;
      continue;
    }
    flush(false);
    if (!out.empty()) out += " || ";
    out += (d_ == D::SQLite ? "char(" : "chr(") + std::to_string(static_cast<unsigned char>(c)) + ")";
  }
  flush(out.empty());
  return out.find(" || ") == std::string::npos ? out : "(" + out + ")";
}

std::string SqlDialectWriter::number(double value) const {
  const std::string v = exact_decimal(value);
  // Typed as a double, read from the text by the engine's correctly rounded parser. (A bare 0.5 is
  // a decimal in PostgreSQL, DuckDB, Snowflake and Spark.)
  switch (d_) {
    case D::SQLite:
    case D::BigQuery: return value < 0 ? "(" + v + ")" : v;
    case D::Postgres: return "'" + v + "'::float8";
    case D::Spark: return "(" + v + "D)";
    case D::Trino: return "DOUBLE '" + v + "'";
    default: return "'" + v + "'::DOUBLE";
  }
}

std::string SqlDialectWriter::regex_literal(std::string_view pattern) const {
  switch (d_) {
    case D::BigQuery: return "r'" + std::string(pattern) + "'";
    case D::Snowflake:
    case D::Spark: {
      std::string out = "'";
      for (char c : pattern) {
        if (c == '\\') out += '\\';
        out += c;
      }
      return out + "'";
    }
    default: return "'" + std::string(pattern) + "'";
  }
}

std::string SqlDialectWriter::cast_text(const std::string& e) const {
  switch (d_) {
    case D::Postgres:
    case D::SQLite: return "CAST(" + e + " AS TEXT)";
    case D::BigQuery:
    case D::Spark: return "CAST(" + e + " AS STRING)";
    default: return "CAST(" + e + " AS VARCHAR)";
  }
}

std::string SqlDialectWriter::cast_double(const std::string& e) const {
  switch (d_) {
    case D::Postgres: return "CAST(" + e + " AS DOUBLE PRECISION)";
    case D::SQLite: return "CAST(" + e + " AS REAL)";
    case D::BigQuery: return "CAST(" + e + " AS FLOAT64)";
    default: return "CAST(" + e + " AS DOUBLE)";
  }
}

std::string SqlDialectWriter::cast_bigint(const std::string& e) const {
  switch (d_) {
    case D::SQLite: return "CAST(" + e + " AS INTEGER)";
    case D::BigQuery: return "CAST(" + e + " AS INT64)";
    default: return "CAST(" + e + " AS BIGINT)";
  }
}

std::string SqlDialectWriter::lower_ascii(const std::string& e) const {
  // SQLite's lower() folds ASCII only; the others fold every letter, so translate() instead.
  if (d_ == D::SQLite) return "lower(" + e + ")";
  return "translate(" + e + ", 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')";
}

std::string SqlDialectWriter::trim_chars(const std::string& e, const std::string& set) const {
  switch (d_) {
    case D::Postgres: return "btrim(" + e + ", " + set + ")";
    case D::Spark: return "trim(BOTH " + set + " FROM " + e + ")";
    default: return "trim(" + e + ", " + set + ")";
  }
}

std::string SqlDialectWriter::ltrim_chars(const std::string& e, const std::string& set) const {
  if (d_ == D::Spark) return "trim(LEADING " + set + " FROM " + e + ")";
  return "ltrim(" + e + ", " + set + ")";
}

std::string SqlDialectWriter::rtrim_chars(const std::string& e, const std::string& set) const {
  if (d_ == D::Spark) return "trim(TRAILING " + set + " FROM " + e + ")";
  return "rtrim(" + e + ", " + set + ")";
}

std::string SqlDialectWriter::length(const std::string& e) const { return "length(" + e + ")"; }

std::string SqlDialectWriter::byte_length(const std::string& e) const {
  switch (d_) {
    case D::SQLite: return "length(CAST(" + e + " AS BLOB))";
    case D::DuckDB: return "strlen(" + e + ")";
    case D::BigQuery: return "BYTE_LENGTH(" + e + ")";
    case D::Snowflake: return "LENGTH(TO_BINARY(" + e + ", 'UTF-8'))";
    case D::Trino: return "length(to_utf8(" + e + "))";
    default: return "octet_length(" + e + ")";
  }
}

std::string SqlDialectWriter::position(const std::string& e, const std::string& needle) const {
  switch (d_) {
    case D::Postgres:
    case D::BigQuery:
    case D::Trino: return "strpos(" + e + ", " + needle + ")";
    case D::Snowflake: return "POSITION(" + needle + ", " + e + ")";
    default: return "instr(" + e + ", " + needle + ")";
  }
}

std::string SqlDialectWriter::substr(const std::string& e, const std::string& start) const {
  return "substr(" + e + ", " + start + ")";
}

std::string SqlDialectWriter::substr(const std::string& e, const std::string& start, const std::string& count) const {
  return "substr(" + e + ", " + start + ", " + count + ")";
}

std::string SqlDialectWriter::matches(const std::string& e, std::string_view pattern) const {
  const std::string p = regex_literal(pattern);
  switch (d_) {
    case D::Postgres: return "(" + e + " ~ " + p + ")";
    case D::SQLite: return "(" + e + " REGEXP " + p + ")";
    case D::DuckDB: return "regexp_matches(" + e + ", " + p + ")";
    case D::BigQuery: return "REGEXP_CONTAINS(" + e + ", " + p + ")";
    // REGEXP_LIKE matches the whole text; REGEXP_INSTR searches, as the others do.
    case D::Snowflake: return "(REGEXP_INSTR(" + e + ", " + p + ") > 0)";
    case D::Spark: return "(" + e + " RLIKE " + p + ")";
    case D::Trino: return "regexp_like(" + e + ", " + p + ")";  // searches, as the others do
  }
  return "";
}

std::string SqlDialectWriter::to_int(const std::string& condition) const {
  switch (d_) {
    case D::SQLite: return "(" + condition + ")";
    case D::Postgres: return "(" + condition + ")::int";
    case D::DuckDB: return "(" + condition + ")::INT";
    case D::BigQuery: return "CAST(" + condition + " AS INT64)";
    case D::Snowflake: return "IFF(" + condition + ", 1, 0)";
    case D::Spark: return "CAST(" + condition + " AS INT)";
    case D::Trino: return "CAST(" + condition + " AS INTEGER)";
  }
  return "";
}

std::string SqlDialectWriter::trunc(const std::string& e) const {
  switch (d_) {
    case D::SQLite:
    case D::Spark: return cast_bigint(e);
    case D::Trino: return "truncate(" + e + ")";
    default: return "trunc(" + e + ")";
  }
}

std::string SqlDialectWriter::div(const std::string& a, const std::string& b) const {
  const std::string x = "(" + a + ")", y = "(" + b + ")";
  switch (d_) {
    case D::DuckDB: return "(" + x + " // " + y + ")";
    case D::BigQuery: return "DIV(" + a + ", " + b + ")";
    case D::Snowflake: return "FLOOR(" + x + " / " + y + ")";
    case D::Spark: return "(" + x + " DIV " + y + ")";
    default: return "(" + x + " / " + y + ")";
  }
}

std::string SqlDialectWriter::mod(const std::string& a, const std::string& b) const {
  if (d_ == D::BigQuery || d_ == D::Snowflake) return "MOD(" + a + ", " + b + ")";
  return "((" + a + ") % (" + b + "))";
}

std::string SqlDialectWriter::power_of_two(const std::string& e) const { return "power(" + number(2) + ", " + e + ")"; }

std::string SqlDialectWriter::today_days() const {
  switch (d_) {
    case D::Postgres: return days_since_epoch("CURRENT_DATE");
    case D::SQLite: return days_since_epoch("date('now')");
    case D::DuckDB:
    case D::Trino: return days_since_epoch("current_date");
    case D::BigQuery:
    case D::Snowflake: return days_since_epoch("CURRENT_DATE()");
    case D::Spark: return days_since_epoch("current_date()");
  }
  return "";
}

std::string SqlDialectWriter::days_since_epoch(const std::string& date) const {
  switch (d_) {
    case D::Postgres: return "(" + date + " - DATE '1970-01-01')";
    case D::SQLite: return "CAST(julianday(" + date + ") - 2440587.5 AS INTEGER)";
    case D::DuckDB:
    case D::Trino: return "date_diff('day', DATE '1970-01-01', " + date + ")";
    case D::BigQuery: return "UNIX_DATE(" + date + ")";
    case D::Snowflake: return "DATEDIFF(day, TO_DATE('1970-01-01'), " + date + ")";
    case D::Spark: return "datediff(" + date + ", DATE'1970-01-01')";
  }
  return "";
}

std::string SqlDialectWriter::cast_date(const std::string& e) const {
  if (d_ == D::SQLite) return "date(" + e + ")";
  return "CAST(" + e + " AS DATE)";
}

}  // namespace leadscore::detail
