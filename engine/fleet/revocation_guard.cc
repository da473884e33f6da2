#include "engine/fleet/revocation_guard.h"

#include "engine/fleet/revocation.h"

namespace ringfence {

Status RevocationGuard::CheckNotRevoked(const std::string& digest, const std::string& id) {
  if (digest.empty()) return Status::Ok();
  auto records = store_.Journal(kFleetJournal);
  if (!records) return records.error().Wrap("reading revocations before starting session " + id);
  auto revoked = RevocationsOf(*records);
  if (!revoked) return revoked.error().Wrap("reading revocations before starting session " + id);
  auto it = revoked->find(digest);
  if (it == revoked->end()) return Status::Ok();
  return Error::InvalidInput("image " + digest + " is revoked (by " + it->second.by + ": " +
                             it->second.reason + "); session " + id + " is not started");
}

Result<SessionInfo> RevocationGuard::Launch(const std::string& id, const ImageRef& image) {
  if (auto st = CheckNotRevoked(image.digest, id); !st) return st.error();
  return inner_.Launch(id, image);
}

Result<SessionInfo> RevocationGuard::EndIfRevoked(Result<SessionInfo> back) {
  if (!back) return back;
  if (auto st = CheckNotRevoked(back->image_digest, back->id); !st) {
    (void)inner_.Terminate(back->id);
    return st.error();
  }
  return back;
}

Result<SessionInfo> RevocationGuard::Restore(const std::string& id, const std::string& path) {
  return EndIfRevoked(inner_.Restore(id, path));
}

Result<SessionInfo> RevocationGuard::Unpark(const std::string& id) { return EndIfRevoked(inner_.Unpark(id)); }

}  // namespace ringfence
