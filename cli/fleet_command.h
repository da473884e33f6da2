// `ringfence fleet list|status|drift` and `ringfence image revoke`: the wiring of app/fleet.h.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <string>

namespace ringfence::cli {

struct RevokeFlags {
  std::string state, audit_key, digest, reason, by;
  std::string format = "text";
};
// Registers `revoke`'s flags on `revoke` (a subcommand of `image`).
void AddRevokeFlags(CLI::App& revoke, const std::shared_ptr<RevokeFlags>& f);
// Exit 0 revoked (every session, snapshot and rollout of the image dealt with), 3 incomplete
// (journaled; a re-run finishes it), 4 bad input, 5 the state directory failed.
int Revoke(const RevokeFlags& f);

}  // namespace ringfence::cli
