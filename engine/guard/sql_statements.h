// SQL statements as actions, read by a lexer that knows strings ('...', "...", E'...', $tag$...$tag$),
// comments (--, /* */, #) and parentheses: DROP, TRUNCATE, DELETE and UPDATE (all rows when
// there is no WHERE at the top level, or one that is always true), ALTER ... DROP, GRANT and
// REVOKE; other statements are verbs of their own that remove nothing. A statement the lexer
// cannot finish (an unclosed string or comment) or a WITH query is opaque.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/guard/action.h"

namespace ringfence {

// One action per statement (kind kSql, tool `tool`, place `place`). `source`: the file they come
// from, "" for a command line; lines are counted from 1 in `text`.
std::vector<Action> ActionsOfSql(std::string_view text, const std::string& tool, const Place& place,
                                 const std::string& source);

}  // namespace ringfence
