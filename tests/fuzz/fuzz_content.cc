// What the gate reads of a change's content and metadata, from bytes an author controls: text
// decoding, UTF-8 checks, symlink targets, URL redaction and addresses, patch ids, trailers and
// author classification. Never crash; decoded text is always UTF-8; redaction is idempotent.
#include <string>

#include "adapters/git/message_trailers.h"
#include "adapters/git/patch_id.h"
#include "engine/core/network_address.h"
#include "engine/core/redact.h"
#include "engine/core/text_decoding.h"
#include "engine/core/utf8.h"
#include "engine/rules/author.h"
#include "engine/scope/symlink_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ringfence;
  std::string text(reinterpret_cast<const char*>(data), size);
  DecodedText d = DecodeText(text);
  if (d.ok && FirstInvalidUtf8(d.text)) __builtin_trap();
  if (!d.ok && d.reason.empty()) __builtin_trap();
  (void)NeedsDecoding(text);
  if (FirstInvalidUtf8(SanitizeUtf8(text))) __builtin_trap();
  std::string redacted = RedactSecrets(text);
  if (RedactSecrets(redacted) != redacted) __builtin_trap();
  size_t half = size / 2;
  if (auto t = ResolveSymlinkTarget(text.substr(0, half), text.substr(half))) {
    std::string padded = "/" + *t + "/";
    if (padded.find("/../") != std::string::npos || padded.find("/./") != std::string::npos) __builtin_trap();
  }
  (void)NonPublicAddress(UrlHost(text));
  (void)git::VerbatimPatchIdOfText(text);
  ChangeFacts facts;
  CommitInfo commit;
  commit.message = text;
  commit.trailers = git::MessageTrailers(text);
  facts.scope.changes.commits.push_back(commit);
  ClassifyAuthor(facts, AuthorConfig::Defaults());
  return 0;
}
