// When may the graph of one tree serve for another? The graph is a function of the file set,
// each file's scan (its imports and declared package) and the configuration files. So a change
// that only modifies files, touches no configuration file and leaves every modified file's scan
// as it was leaves the graph exactly as it was.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "engine/model/change_set.h"
#include "engine/scanners/file_scan.h"

namespace ringfence {

// True for files the graph builder reads as configuration (components.yaml, CODEOWNERS,
// manifests, tsconfig.json, compile_commands.json...).
bool IsGraphConfiguration(const std::string& path);

// Scan of a blob of a file (path selects the language); nullopt when it cannot be had.
using ScanOf = std::function<std::optional<FileScan>(const std::string& path, const std::string& blob)>;

// True if the graph of the tree before `changes` is also the graph of the tree after them.
bool GraphUnchanged(const ChangeSet& changes, const ScanOf& scan_of);

}  // namespace ringfence
