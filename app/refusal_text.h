// Why the write policy refuses, in the user's language: the rule and what it names
// (policy/write_policy.h RefusalRule), not the English text the server sends.
#pragma once

#include <string>

#include "i18n.h"
#include "policy/write_policy.h"

namespace linli::ui {

std::string refusal_text(Lang lang, const Refusal& refusal);

}  // namespace linli::ui
