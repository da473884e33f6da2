#include "engine/image/purl.h"

#include <cctype>
#include <vector>

namespace ringfence {
namespace {

bool Unreserved(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' || c == '~';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> Decode(std::string_view s, std::string_view whole) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    int hi = i + 2 < s.size() ? HexValue(s[i + 1]) : -1, lo = i + 2 < s.size() ? HexValue(s[i + 2]) : -1;
    if (hi < 0 || lo < 0) return Error::InvalidInput("purl " + std::string(whole) + ": a bad %-escape");
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

}  // namespace

std::string PurlEncode(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (char c : s) {
    if (Unreserved(c)) {
      out += c;
    } else {
      auto u = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

std::string FormatPurl(const Purl& p) {
  std::string out = "pkg:" + p.type + "/";
  if (!p.ns.empty()) out += PurlEncode(p.ns) + "/";
  out += PurlEncode(p.name);
  if (!p.version.empty()) out += "@" + PurlEncode(p.version);
  char sep = '?';
  for (const auto& [k, v] : p.qualifiers) {  // std::map: sorted by key, as the spec asks
    if (v.empty()) continue;
    out += sep + k + "=" + PurlEncode(v);
    sep = '&';
  }
  return out;
}

Result<Purl> ParsePurl(std::string_view text) {
  auto bad = [&](const std::string& why) {
    return Error::InvalidInput("purl '" + std::string(text) + "': " + why);
  };
  if (text.size() > 16384) return bad("longer than 16384 bytes");
  std::string_view rest = text;
  if (auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  if (rest.substr(0, 4) != "pkg:") return bad("does not start with pkg:");
  rest.remove_prefix(4);
  while (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
  Purl p;
  std::string_view query;
  if (auto q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  auto slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0) return bad("no type");
  for (char c : rest.substr(0, slash))
    p.type += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  rest.remove_prefix(slash + 1);
  if (auto at = rest.rfind('@'); at != std::string_view::npos) {
    auto v = Decode(rest.substr(at + 1), text);
    if (!v) return v.error();
    p.version = *v;
    rest = rest.substr(0, at);
  }
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  auto last = rest.rfind('/');
  auto name = Decode(last == std::string_view::npos ? rest : rest.substr(last + 1), text);
  if (!name) return name.error();
  if (name->empty()) return bad("no name");
  p.name = *name;
  if (last != std::string_view::npos) {
    auto ns = Decode(rest.substr(0, last), text);
    if (!ns) return ns.error();
    p.ns = *ns;
  }
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    auto eq = pair.find('=');
    if (eq == std::string_view::npos || eq == 0) return bad("a qualifier without '='");
    std::string key;
    for (char c : pair.substr(0, eq)) key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto value = Decode(pair.substr(eq + 1), text);
    if (!value) return value.error();
    if (p.qualifiers.count(key)) return bad("qualifier '" + key + "' twice");
    p.qualifiers[key] = *value;
  }
  return p;
}

std::string DebianPurl(const DebianPackage& pkg) {
  Purl p{"deb", "debian", pkg.name, pkg.version, {}};
  p.qualifiers["arch"] = pkg.architecture;
  p.qualifiers["distro"] = pkg.distro;
  if (pkg.source != pkg.name || pkg.source_version != pkg.version) {
    p.qualifiers["upstream"] =
        pkg.source_version == pkg.version ? pkg.source : pkg.source + "@" + pkg.source_version;
  }
  return FormatPurl(p);
}

Result<DebianPackage> DebianPackageFromPurl(std::string_view text) {
  auto p = ParsePurl(text);
  if (!p) return p.error();
  if (p->type != "deb")
    return Error::InvalidInput("purl '" + std::string(text) + "' is not a Debian package");
  if (p->version.empty()) return Error::InvalidInput("purl '" + std::string(text) + "' has no version");
  for (const std::string* field : {&p->name, &p->version})
    if (field->size() > 256)
      return Error::InvalidInput("purl '" + std::string(text.substr(0, 80)) +
                                 "...': a name or version over 256 bytes");
  for (const auto& [k, v] : p->qualifiers)
    if (v.size() > 600)
      return Error::InvalidInput("purl '" + std::string(text.substr(0, 80)) + "...': qualifier " + k +
                                 " over 600 bytes");
  DebianPackage d;
  d.name = p->name;
  d.version = p->version;
  d.architecture = p->qualifiers.count("arch") ? p->qualifiers["arch"] : "";
  d.distro = p->qualifiers.count("distro") ? p->qualifiers["distro"] : "";
  d.source = d.name;
  d.source_version = d.version;
  if (auto it = p->qualifiers.find("upstream"); it != p->qualifiers.end() && !it->second.empty()) {
    auto at = it->second.find('@');
    d.source = it->second.substr(0, at);
    if (at != std::string::npos) d.source_version = it->second.substr(at + 1);
  }
  return d;
}

}  // namespace ringfence
