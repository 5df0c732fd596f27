#pragma once
/// The whole public surface of the scoring core. ARCHITECTURE.md follows one lead through it.

#include <nlohmann/json.hpp>  // the unit headers only forward-declare it; users of the whole API get it

#include "leadscore/backtest.hpp"
#include "leadscore/column_map.hpp"
#include "leadscore/csv_reader.hpp"
#include "leadscore/csv_writer.hpp"
#include "leadscore/dbt_project.hpp"
#include "leadscore/error.hpp"
#include "leadscore/export_parts.hpp"
#include "leadscore/learner.hpp"
#include "leadscore/list_query.hpp"
#include "leadscore/list_reader.hpp"
#include "leadscore/list_tuning.hpp"
#include "leadscore/model.hpp"
#include "leadscore/numbers.hpp"
#include "leadscore/people.hpp"
#include "leadscore/row_index.hpp"
#include "leadscore/sample_generator.hpp"
#include "leadscore/scored_list.hpp"
#include "leadscore/scorer.hpp"
#include "leadscore/session.hpp"
#include "leadscore/sql_export.hpp"
#include "leadscore/summary.hpp"
#include "leadscore/values.hpp"
#include "leadscore/workbook.hpp"

namespace leadscore {

inline constexpr const char* kVersion = "0.1.0";

}  // namespace leadscore
