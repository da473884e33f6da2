// Kubernetes manifests as actions: the objects of a YAML file (every document, and the items of a
// `kind: List`) as `kubectl apply -f` or `kubectl delete -f` would send them, one action per
// object, targets written as kubectl's reader writes them ("namespace:kind/name"). Applying a
// workload with `replicas: 0` scales it to nothing (verb scale, removes); deleting a namespace,
// node, CRD or persistent volume reaches everything in it (unbounded). An object without a kind or
// a name is an error at its position, never skipped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.h"
#include "engine/guard/action.h"

namespace ringfence {

enum class ManifestVerb { kApply, kDelete };

// `place`: the kube context they go to; `default_namespace`: where namespaced objects that name
// none land ("" when not known: such a target is written without one).
Result<std::vector<Action>> ActionsOfKubernetesManifests(std::string_view yaml_text, const std::string& path,
                                                         const Place& place, ManifestVerb verb,
                                                         const std::string& default_namespace);

// Deleting a resource of this type (as kubectl writes it: "ns", "namespaces", "Node", "crd") takes
// everything inside it or on it with it.
bool DeletionReachesEverything(std::string_view resource_type);

}  // namespace ringfence
