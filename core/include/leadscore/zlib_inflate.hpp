#pragma once
/// Inflating a workbook's parts with zlib: the native builds' `Inflate` (library leadscore_zlib).
/// The WebAssembly build inflates in the browser instead (wasm/js/workbook.mjs).

#include "leadscore/workbook.hpp"

namespace leadscore {

/// Raw DEFLATE data to `out` in pieces of up to 1 MiB; a damaged stream is workbook.corrupt.
Status zlib_inflate(std::string_view deflated, const InflatedSink& out);

}  // namespace leadscore
