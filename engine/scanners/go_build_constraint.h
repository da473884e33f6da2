// Whether a Go file is compiled for a platform, as `go build` decides without -tags: the file
// name's _GOOS, _GOARCH and _GOOS_GOARCH suffixes, and its `//go:build` expression, where the
// platform's GOOS and GOARCH, `unix` on Unix systems, `gc` and go1.N release tags are set, `cgo`
// is unknown and every other tag is unset.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/core/tristate.h"
#include "engine/model/build_config.h"

namespace ringfence {

Tristate GoFileInBuild(std::string_view path, std::string_view constraint, const Platform& p);

// The `//go:build` form of legacy `// +build` lines (one line each, ANDed); "" for none.
std::string GoPlusBuildToExpression(const std::vector<std::string>& lines);

}  // namespace ringfence
