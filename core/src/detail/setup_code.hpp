#pragma once
/// Marks code that runs once per list or model, not per row (reading a model, mapping columns,
/// binding rules):
///   LEADSCORE_SETUP_CODE before one function's definition;
///   LEADSCORE_SETUP_CODE_BEGIN ... LEADSCORE_SETUP_CODE_END around a file's own definitions.
///
/// What a build does with the mark is the build's choice. The WebAssembly build defines
/// LEADSCORE_COMPACT_SETUP_CODE (wasm/CMakeLists.txt, which says why), and clang then compiles the
/// marked functions for size; elsewhere the mark does nothing. The attribute applies only to the
/// functions written here, not to the templates they use (which per-row code shares).

#if defined(LEADSCORE_COMPACT_SETUP_CODE) && defined(__clang__)
#define LEADSCORE_SETUP_CODE __attribute__((minsize))
#define LEADSCORE_SETUP_CODE_BEGIN _Pragma("clang attribute push (__attribute__((minsize)), apply_to = function)")
#define LEADSCORE_SETUP_CODE_END _Pragma("clang attribute pop")
#else
#define LEADSCORE_SETUP_CODE
#define LEADSCORE_SETUP_CODE_BEGIN
#define LEADSCORE_SETUP_CODE_END
#endif
