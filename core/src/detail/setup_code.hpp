#pragma once
/// LEADSCORE_SETUP_CODE marks a function that runs once per list, not per row (compiling a model's
/// rules for a list's columns): under clang it is compiled for size.
///
/// Why: a browser runs new WebAssembly code through a quick baseline compiler and optimizes each
/// function that turns out hot on a background thread. A setup function that loops over the model
/// turns hot while it runs once, and a big one kept the optimizing compiler busy for 100 ms while
/// the rows' own functions waited behind it: the first 70,000 rows of a list read at baseline
/// speed. Small setup code is optimized in a few milliseconds. The files that only hold such code
/// (reading models, mapping columns, the bindings) are compiled for size as a whole (CMakeLists).

#if defined(__clang__)
#define LEADSCORE_SETUP_CODE __attribute__((minsize))
#else
#define LEADSCORE_SETUP_CODE
#endif
