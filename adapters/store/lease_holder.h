// Who holds a service's lease: "host:pid:start-ticks:nonce". On the holder's own host a lease is
// live only while that very process runs (a process killed by SIGKILL frees its lease at once);
// from another host it is live until it expires.
#pragma once

#include <string>

namespace ringfence::store {

// The identity of this process as a lease holder (a fresh nonce each call).
std::string NewLeaseHolder();

// False when `holder` names a process on this host that is gone (or whose pid now belongs to
// another process); true otherwise, including for holders on other hosts and unparsable ones.
bool LeaseHolderAlive(const std::string& holder);

}  // namespace ringfence::store
