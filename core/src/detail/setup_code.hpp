#pragma once
/// Code that runs once per list or model, not per row (reading a model, mapping columns, compiling
/// rules), compiled for size under clang:
///   LEADSCORE_SETUP_CODE before one function's definition;
///   LEADSCORE_SETUP_CODE_BEGIN ... LEADSCORE_SETUP_CODE_END around a file's own definitions.
///
/// Why: a browser runs new WebAssembly code through a quick baseline compiler and optimizes each
/// function that turns out hot on a background thread. A setup function that loops over a model
/// turns hot while it runs once, and the big ones (reading a rule, the scorer's constructor,
/// mapping columns) took the optimizing compiler over 200 ms, queued before the rows' own
/// functions, which meanwhile ran in baseline code (a list read as soon as the module loaded took
/// 2.5 times as long for its first 70,000 rows as for later ones). Small setup code is optimized
/// in a few milliseconds.
///
/// Not whole files compiled with -Oz: a file's template instances (std::vector's, std::sort's)
/// are shared with the per-row code, and the linker may keep the small, slower copy for both.
/// The attribute applies only to the functions written here, not to the templates they use.

#if defined(__clang__)
#define LEADSCORE_SETUP_CODE __attribute__((minsize))
#define LEADSCORE_SETUP_CODE_BEGIN _Pragma("clang attribute push (__attribute__((minsize)), apply_to = function)")
#define LEADSCORE_SETUP_CODE_END _Pragma("clang attribute pop")
#else
#define LEADSCORE_SETUP_CODE
#define LEADSCORE_SETUP_CODE_BEGIN
#define LEADSCORE_SETUP_CODE_END
#endif
