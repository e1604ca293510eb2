// Result<T>: a value or an Error{code, detail}. Expected failures travel as values;
// no exception crosses a module boundary (shared/ builds with exceptions off).
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace linli {

enum class ErrorCode {
  InvalidArgument,  // The caller's input breaks a rule (a field missing or malformed).
  NotFound,         // The thing asked for does not exist.
  Storage,          // The database refused: disk full, I/O error, locked.
  Corrupt,          // What was stored cannot be read back as what we wrote.
  Unsupported,      // A schema or version newer than this build understands.
  NotJson,          // The input is not JSON at all (the wire decoder: a client's 400 bad_json).
};

std::string_view to_string(ErrorCode code);

struct Error {
  ErrorCode code;
  std::string detail;  // Reads like "[store.open] var/linli.db: unable to open database file".

  std::string message() const;
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : m_v(std::move(value)) {}          // NOLINT: implicit by design.
  Result(Error error) : m_v(std::move(error)) {}      // NOLINT: implicit by design.

  explicit operator bool() const { return m_v.index() == 0; }
  bool ok() const { return m_v.index() == 0; }

  T& value() & { assert(ok() && "Result::value() on an error"); return std::get<0>(m_v); }
  const T& value() const& { assert(ok() && "Result::value() on an error"); return std::get<0>(m_v); }
  T&& value() && { assert(ok() && "Result::value() on an error"); return std::get<0>(std::move(m_v)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }

  const Error& error() const { assert(!ok() && "Result::error() on a value"); return std::get<1>(m_v); }

 private:
  std::variant<T, Error> m_v;
};

// Result<void>: success carries nothing.
struct Ok {};
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Ok) {}                                       // NOLINT: implicit by design.
  Result(Error error) : m_error(std::move(error)), m_failed(true) {}  // NOLINT

  explicit operator bool() const { return !m_failed; }
  bool ok() const { return !m_failed; }
  const Error& error() const { assert(m_failed && "Result::error() on success"); return m_error; }

 private:
  Error m_error{ErrorCode::InvalidArgument, {}};
  bool m_failed = false;
};

}  // namespace linli
