// Who wrote a change: AI, bot or human, and which agent. A change is AI-authored when any of its
// commits (merge commits included) is: an AI trailer key (Assisted-by...), a Co-authored-by
// naming an agent (a human's commit with an AI co-author is an AI change), an author or
// committer identity of a known agent or matching the AI patterns, or an AI branch or label.
//
// Trailers are the commits' own (CommitInfo::trailers, as git parses them; the git adapter fills
// them). Trailer keys compare case-insensitively. AI keys are also looked for on every line of
// the message, so moving an "Assisted-by:" out of the trailer block does not hide it.
#pragma once

#include "engine/rules/change_facts.h"
#include "engine/rules/rule.h"

namespace ringfence {

// Fills facts.author_kind, facts.agents and facts.author_evidence.
void ClassifyAuthor(ChangeFacts& facts, const AuthorConfig& config);

// The declared intent from the newest commit with an "Intent:" trailer ("Intent: auth, payments"
// names components, "Intent: services/auth/**" paths); not declared when no commit has one.
Intent IntentFromTrailers(const ChangeSet& changes);

}  // namespace ringfence
