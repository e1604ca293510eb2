// SHA-256 (FIPS 180-4) of bytes, as 64 lowercase hex digits: a photo's blob name, computed on the
// device that took it (the browser has no synchronous digest). Pure: no I/O.
#pragma once

#include <string>
#include <string_view>

namespace linli {

std::string sha256_hex(std::string_view bytes);

}  // namespace linli
