// Who wrote a change: AI, bot or human, and which agent. A change is AI-authored when any of its
// commits is: an AI trailer key (Assisted-by...), a Co-authored-by/trailer value naming an agent,
// an author or committer identity matching the AI patterns, or an AI branch or label.
#pragma once

#include "engine/rules/change_facts.h"
#include "engine/rules/rule.h"

namespace ringfence {

// Fills facts.author_kind, facts.agents and facts.author_evidence.
void ClassifyAuthor(ChangeFacts& facts, const AuthorConfig& config);

// Trailers ("Key: value" lines of the message's last paragraph), as git interpret-trailers reads them.
std::vector<std::pair<std::string, std::string>> ParseTrailers(const std::string& message);

}  // namespace ringfence
