// What kind of file a path is, for rules such as "an AI change may not touch CI configuration".
// A file can be of several kinds (a test that is code). Classification is by path only.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ringfence {

// code, config, lockfile, generated, ci, infrastructure, docs, test (binary comes from the diff).
std::vector<std::string> FileKinds(std::string_view path);
bool IsKnownFileKind(std::string_view kind);

struct ChangeFacts;
// Kinds of the i-th changed file ("binary" included when the diff says so), computed once per facts.
const std::vector<std::string>& FileKindsOf(const ChangeFacts& facts, size_t i);

}  // namespace ringfence
