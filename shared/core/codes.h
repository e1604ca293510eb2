// Stable text codes of enums, looked up in a table indexed by the enumerator. Internal to
// shared/core; pure.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace linli::codes {

template <class E, size_t N>
std::optional<E> parse_code(const std::array<std::string_view, N>& codes, std::string_view code) {
  for (size_t i = 0; i < N; ++i)
    if (codes[i] == code) return static_cast<E>(i);
  return std::nullopt;
}

template <size_t N>
std::string_view code_of(const std::array<std::string_view, N>& codes, int v) {
  return (v >= 0 && static_cast<size_t>(v) < N) ? codes[static_cast<size_t>(v)] : "?";
}

}  // namespace linli::codes
