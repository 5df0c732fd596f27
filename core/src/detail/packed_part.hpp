#pragma once
/// A part of a list read elsewhere, packed to cross to the list that joins it (another thread or
/// worker of the same program, never to disk): fixed-size values and arrays in the machine's byte
/// order.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "detail/lead_store.hpp"
#include "leadscore/error.hpp"
#include "leadscore/list_parts.hpp"

namespace leadscore::detail {

/// One column's keys in a packed part: its texts and every row's id among them.
struct PackedKeyColumn {
  std::vector<std::string_view> texts;
  unsigned width = 1;         // bytes an id
  const char* ids = nullptr;  // rows ids, unaligned
  std::uint16_t id(std::size_t row) const noexcept;
};

/// A packed part, read: views into the packed bytes.
struct PackedPart {
  std::uint64_t start = 0, end = 0;  ///< the part's bytes of the file
  std::int64_t prefix_lines = 0;     ///< the line its first row would have been on after the prefix
  std::int64_t end_line = 0;         ///< the line after its last
  std::int64_t invalid_utf8 = 0;     ///< its bytes that were not UTF-8
  std::string_view summary_state;    ///< Summary::state(), as JSON text
  std::size_t rows = 0;
  const char* figures = nullptr;  ///< rows PackedFigures, unaligned
  const char* offsets = nullptr;  ///< rows file offsets (std::uint64_t)
  const char* lines = nullptr;    ///< rows lines (std::uint32_t), counted from the part's prefix
  bool has_keys = false;
  std::vector<PackedKeyColumn> keys;  ///< per key column, the lead sources last (when asked for)

  PackedFigures figures_of(std::size_t row) const noexcept;
  std::uint64_t offset(std::size_t row) const noexcept;
  std::uint32_t line(std::size_t row) const noexcept;
};

/// A finished part's rows, scores, key ids and summary: `store` read from `start` of the file,
/// `bytes` of it (the plan's prefix included).
std::string pack_part(const LeadStore& store, const PartPlan& plan, std::uint64_t start, std::uint64_t bytes,
                      std::int64_t end_line, std::int64_t invalid_utf8);
/// Reads a packed part; with `key_columns` (the lead sources not counted), its keys too, when it
/// has them. InvalidArgument when `packed` is not one.
Result<PackedPart> unpack_part(std::string_view packed, std::optional<std::size_t> key_columns);

}  // namespace leadscore::detail
