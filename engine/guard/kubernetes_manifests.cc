#include "engine/guard/kubernetes_manifests.h"

#include <algorithm>
#include <set>

#include "engine/core/yaml_doc.h"

namespace ringfence {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// Kinds that exist outside any namespace (the built-in ones; a custom resource is taken as
// namespaced, as most are).
bool ClusterScoped(const std::string& kind) {
  static const std::set<std::string> kinds = {"namespace",
                                              "node",
                                              "persistentvolume",
                                              "customresourcedefinition",
                                              "clusterrole",
                                              "clusterrolebinding",
                                              "storageclass",
                                              "priorityclass",
                                              "ingressclass",
                                              "runtimeclass",
                                              "mutatingwebhookconfiguration",
                                              "validatingwebhookconfiguration",
                                              "apiservice",
                                              "certificatesigningrequest",
                                              "csidriver",
                                              "csinode",
                                              "volumeattachment",
                                              "podsecuritypolicy"};
  return kinds.count(kind) > 0;
}

bool Scalable(const std::string& kind) {
  return kind == "deployment" || kind == "statefulset" || kind == "replicaset" ||
         kind == "replicationcontroller";
}

// kubectl refuses a mapping with a key twice; read here, the first or the last could hide the
// other (a second `replicas:`), so it is an error too.
Status NoDuplicateKeys(const YamlDoc& doc, const YAML::Node& node, int depth) {
  if (depth > 64) return doc.ErrorAt(node, "the object nests deeper than 64 levels");
  if (node.IsSequence()) {
    for (const auto& item : node) {
      if (auto st = NoDuplicateKeys(doc, item, depth + 1); !st) return st;
    }
  } else if (node.IsMap()) {
    std::set<std::string> seen;
    for (const auto& kv : node) {
      if (kv.first.IsScalar() && !seen.insert(kv.first.Scalar()).second)
        return doc.ErrorAt(kv.first, "the key '" + kv.first.Scalar() + "' is there twice");
      if (auto st = NoDuplicateKeys(doc, kv.second, depth + 1); !st) return st;
    }
  }
  return Status::Ok();
}

class Reader {
 public:
  Reader(const std::string& path, const Place& place, ManifestVerb verb, const std::string& ns)
      : path_(path), place_(place), verb_(verb), ns_(ns) {}

  Status Object(const YamlDoc& doc, const YAML::Node& node, int depth) {
    if (!node.IsMap())
      return doc.ErrorAt(node, "a Kubernetes object is a mapping with apiVersion, kind and metadata");
    if (depth == 0) {
      if (auto st = NoDuplicateKeys(doc, node, 0); !st) return st;
    }
    if (!node["kind"]) return doc.ErrorAt(node, "the object has no kind");
    auto kind = doc.String(node["kind"], "kind");
    if (!kind) return kind.error();
    if (kind->empty()) return doc.ErrorAt(node["kind"], "the object's kind is empty");
    if (!node["apiVersion"]) return doc.ErrorAt(node, "the object (" + *kind + ") has no apiVersion");
    if (*kind == "List" || (kind->size() > 4 && kind->substr(kind->size() - 4) == "List" && node["items"])) {
      if (depth > 0) return doc.ErrorAt(node, "a List inside a List");
      const YAML::Node items = node["items"];
      if (!items) return Status::Ok();
      if (!items.IsSequence()) return doc.ErrorAt(items, "items is a list of objects");
      for (const auto& item : items) {
        if (auto st = Object(doc, item, depth + 1); !st) return st;
      }
      return Status::Ok();
    }
    const YAML::Node meta = node["metadata"];
    if (!meta || !meta.IsMap()) return doc.ErrorAt(node, "the " + *kind + " has no metadata");
    std::string name, ns, generate;
    if (auto st = doc.Optional(meta, "name", name); !st) return st;
    if (auto st = doc.Optional(meta, "namespace", ns); !st) return st;
    if (auto st = doc.Optional(meta, "generateName", generate); !st) return st;
    if (name.empty() && (generate.empty() || verb_ == ManifestVerb::kDelete))
      return doc.ErrorAt(meta, "the " + *kind + " has no metadata.name");
    const std::string type = Lower(*kind);
    if (!ClusterScoped(type) && ns.empty()) ns = ns_;
    if (ClusterScoped(type)) ns.clear();

    Action a;
    a.kind = ActionKind::kKubernetes;
    a.tool = "kubectl";
    a.source = path_;
    a.line = static_cast<int>(node.Mark().line) + 1;
    a.place = place_;
    std::string target = type + "/" + (name.empty() ? generate + "*" : name);
    a.targets.push_back(ns.empty() ? target : ns + ":" + target);
    a.text = std::string(verb_ == ManifestVerb::kApply ? "apply " : "delete ") + *kind + " " +
             (name.empty() ? generate + "*" : name) + (ns.empty() ? "" : " in namespace " + ns);
    if (verb_ == ManifestVerb::kDelete) {
      a.verb = "delete";
      a.removes = true;
      a.unbounded = DeletionReachesEverything(type);
    } else {
      a.verb = name.empty() ? "create" : "apply";
      const YAML::Node replicas =
          node["spec"] && node["spec"].IsMap() ? node["spec"]["replicas"] : YAML::Node();
      if (Scalable(type) && replicas) {
        auto n = doc.Integer(replicas, "spec.replicas");
        if (!n) return n.error();
        if (*n < 0) return doc.ErrorAt(replicas, "spec.replicas is negative");
        if (*n == 0) {
          a.verb = "scale";
          a.removes = true;
          a.text += " (replicas: 0)";
        }
      }
    }
    actions_.push_back(std::move(a));
    return Status::Ok();
  }

  std::vector<Action> actions_;

 private:
  const std::string& path_;
  const Place& place_;
  ManifestVerb verb_;
  const std::string& ns_;
};

}  // namespace

bool DeletionReachesEverything(std::string_view resource_type) {
  static const std::set<std::string> reaching = {"ns",
                                                 "namespace",
                                                 "namespaces",
                                                 "no",
                                                 "node",
                                                 "nodes",
                                                 "crd",
                                                 "crds",
                                                 "customresourcedefinition",
                                                 "customresourcedefinitions",
                                                 "pv",
                                                 "persistentvolume",
                                                 "persistentvolumes"};
  std::string_view types = resource_type.substr(0, resource_type.find('/'));
  while (true) {  // "ns,deploy": a list of types
    size_t comma = types.find(',');
    std::string type = Lower(types.substr(0, comma));
    type = type.substr(0, type.find('.'));  // "customresourcedefinitions.apiextensions.k8s.io"
    if (reaching.count(type)) return true;
    if (comma == std::string_view::npos) return false;
    types.remove_prefix(comma + 1);
  }
}

Result<std::vector<Action>> ActionsOfKubernetesManifests(std::string_view yaml_text, const std::string& path,
                                                         const Place& place, ManifestVerb verb,
                                                         const std::string& default_namespace) {
  return GuardYaml(path, [&]() -> Result<std::vector<Action>> {
    auto docs = YamlDoc::ParseAll(yaml_text, path);
    if (!docs) return docs.error();
    Reader reader(path, place, verb, default_namespace);
    for (const YamlDoc& doc : *docs) {
      if (doc.root().IsNull()) continue;  // an empty document between two `---`
      if (auto st = reader.Object(doc, doc.root(), 0); !st) return st.error();
    }
    if (reader.actions_.empty())
      return Error::InvalidInput(path + ": no Kubernetes object in the file: nothing to judge");
    return std::move(reader.actions_);
  });
}

}  // namespace ringfence
