// Renderers of a ScopeReport and an Explanation: text for people, JSON (schema in
// docs/scope-json.md), and Graphviz DOT of the blast radius.
#pragma once

#include <ostream>
#include <string>

#include "engine/model/dependency_graph.h"
#include "engine/scope/analyze_scope.h"
#include "engine/scope/scope_report.h"

namespace ringfence::report {

void WriteScopeText(const ScopeReport& r, std::ostream& out);
void WriteScopeJson(const ScopeReport& r, std::ostream& out);
// The subgraph of affected nodes with every edge among them; changed files are filled.
void WriteScopeDot(const ScopeReport& r, const DependencyGraph& g, std::ostream& out);

void WriteExplanationText(const Explanation& x, std::ostream& out);
void WriteExplanationJson(const Explanation& x, std::ostream& out);

}  // namespace ringfence::report
