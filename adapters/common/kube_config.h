// kubectl's current context, as kubectl finds it: the first file of $KUBECONFIG, else
// ~/.kube/config, its `current-context`. "" when there is none or it cannot be read (the guard
// then treats the context as unknown).
#pragma once

#include <string>

namespace ringfence {

std::string CurrentKubeContext();

}  // namespace ringfence
