#pragma once
// The one place where C++ outcomes become what JavaScript receives: every bound call runs inside
// guard(), which returns JSON text {"ok": true, "value": ...} or {"ok": false, "error": {code,
// message, line?, column?, jsonPath?}}. Nothing thrown in the core ever reaches JavaScript.

#include <exception>
#include <new>
#include <stdexcept>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "leadscore/error.hpp"
#include "leadscore/summary.hpp"

namespace leadscore::wasm {

using Json = nlohmann::ordered_json;

/// An expected failure on its way to guard().
struct Failure : std::exception {
  explicit Failure(Error e) : error(std::move(e)) {}
  const char* what() const noexcept override { return error.message.c_str(); }
  Error error;
};

[[noreturn]] inline void fail(ErrorCode code, std::string message) { throw Failure(Error{code, std::move(message)}); }

inline void check(const Status& status) {
  if (!status.ok()) throw Failure(status.error());
}

template <class T>
T unwrap(Result<T> result) {
  if (!result.ok()) throw Failure(result.error());
  return std::move(result).value();
}

/// Text that never throws, whatever bytes a value holds.
inline std::string dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

inline std::string error_text(const Error& error) { return dump(Json{{"ok", false}, {"error", error_json(error)}}); }

template <class Body>
std::string guard(Body&& body) {
  try {
    return dump(Json{{"ok", true}, {"value", body()}});
  } catch (const Failure& f) {
    return error_text(f.error);
  } catch (const std::bad_alloc&) {
    return error_text(Error{ErrorCode::OutOfMemory,
                            "The browser ran out of memory for this list. Close other tabs, or split the list into "
                            "smaller files."});
  } catch (const std::length_error&) {
    return error_text(Error{ErrorCode::OutOfMemory, "A single value is too large to hold in memory."});
  } catch (const Json::exception& e) {
    return error_text(Error{ErrorCode::InvalidArgument, std::string("bad request: ") + e.what()});
  } catch (const std::exception& e) {
    return error_text(Error{ErrorCode::Internal, e.what()});
  } catch (...) {
    return error_text(Error{ErrorCode::Internal, "an unknown failure"});
  }
}

}  // namespace leadscore::wasm
