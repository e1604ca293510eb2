// The server's maintenance commands: `user add|list|disable|enable|passwd` and `backup`.
#pragma once

#include <string>
#include <vector>

namespace linli::server {

// True if args[0] names a command (then `exit_code` is set), false for plain server options.
bool run_command(const std::vector<std::string>& args, int& exit_code);

}  // namespace linli::server
