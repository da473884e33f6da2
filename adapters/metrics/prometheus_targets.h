// Writes the live sessions as a Prometheus file_sd targets file, so a Prometheus server scrapes
// each session's /metrics with its version and session id as labels:
//   [{"targets": ["127.0.0.1:41234"], "labels": {"service": "shop", "version": "2.0", "session": "..."}}]
// Written atomically (Prometheus never reads half a file).
#pragma once

#include <string>
#include <vector>

#include "engine/core/result.h"
#include "engine/ports/session_backend.h"

namespace ringfence::metrics {

Status WritePrometheusTargets(const std::string& path, const std::string& service,
                              const std::vector<SessionInfo>& sessions);

}  // namespace ringfence::metrics
