#pragma once
/// The model as a dbt project (dbt-core 1.7 or later): one model, lead_scores, built as a table
/// from the SELECT of compile_sql reading a dbt source, with schema tests on its results.

#include <string>
#include <vector>

#include "leadscore/error.hpp"
#include "leadscore/model.hpp"
#include "leadscore/sql_export.hpp"

namespace leadscore {

/// A file of the project: its path under the project's folder ("models/lead_scores.sql") and text.
struct DbtFile {
  std::string path;
  std::string text;
};

/// The project's files for `model`. `options.table` names the source table: "schema.table" (or
/// "database.schema.table") becomes a source named after the schema; a bare table name, a source
/// "crm" in the profile's target schema. Fails as compile_sql does, and with sql.unsupported when a
/// text of the model would end dbt's {% raw %} block.
Result<std::vector<DbtFile>> dbt_project(const ScoringModel& model, const SqlOptions& options);

}  // namespace leadscore
