// What kind of file a path is, for rules such as "an AI change may not touch CI configuration".
// A file can be of several kinds (a test that is code). Classification is by path only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ringfence {

// code, config, lockfile, generated, ci, infrastructure, docs, test by path; binary, symlink and
// uninspectable (content that decodes as no text) come from the diff.
std::vector<std::string> FileKinds(std::string_view path);
bool IsKnownFileKind(std::string_view kind);

// Kinds as bits, for matching many files against many rules cheaply.
using KindMask = uint32_t;
KindMask KindBit(std::string_view kind);  // 0 for an unknown kind
KindMask KindMaskOf(const std::vector<std::string>& kinds);

struct ChangeFacts;
// Kinds of the i-th changed file ("binary" included when the diff says so), computed once per facts.
KindMask FileKindsOf(const ChangeFacts& facts, size_t i);

}  // namespace ringfence
