// What a load of clients saw, per version: the built-in load's report (and any ClientLoad's).
#pragma once

#include <map>
#include <string>

namespace ringfence {

struct VersionTally {
  long requests = 0;
  long ok = 0;
  long errors = 0;    // answered 5xx
  long failures = 0;  // no answer: refused, reset, timed out
  long client_sessions = 0;
  long clients_hurt = 0;  // client sessions that saw at least one error or failure
};

struct LoadReport {
  std::map<std::string, VersionTally> by_version;
  long route_failures = 0;  // no session could be launched for a client
  std::string last_route_error;
};

}  // namespace ringfence
