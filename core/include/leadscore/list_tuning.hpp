#pragma once
/// How a list uses the machine it runs on: batch, scan and memory sizes. The defaults suit a
/// native build; the WebAssembly build sets its own (wasm/bindings.cpp), and the page reads the
/// memory figures back from the API rather than repeating them.

#include <cstddef>

namespace leadscore {

struct ListTuning {
  /// Rows scored together from their key ids while a list is read.
  std::size_t batch_rows = std::size_t{1} << 16;
  /// The first such batch (a browser runs a call in the code it started in: a small first batch
  /// lets it optimize the batch code before a large batch runs).
  std::size_t first_batch_rows = std::size_t{1} << 16;
  /// Read at a time when rows are read again in order (each read of a browser's File costs
  /// milliseconds on top of its bytes).
  std::size_t scan_bytes = std::size_t{16} << 20;
  /// The most the rows' key ids may take (a list re-scores from them without reading its file).
  std::size_t key_cache_bytes = std::size_t{96} << 20;
  /// What a list aims to hold at most: this plus memory_per_lead_bytes a lead. A sort by a column
  /// read from the file holds its distinct cells within half of what the list leaves of it.
  std::size_t memory_target_bytes = 150'000'000;
  std::size_t memory_per_lead_bytes = 32;
};

}  // namespace leadscore
