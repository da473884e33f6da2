#include "adapters/aws/sigv4.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>

#include "adapters/common/sha256.h"

namespace ringfence::aws {
namespace {

// RFC 3986 percent-encoding of everything but unreserved characters (and '/' when asked).
std::string Encode(const std::string& s, bool keep_slash) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string Decode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// RFC 3986 section 5.2.4, plus empty segments (duplicate slashes) removed.
std::string NormalizePath(const std::string& path) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t slash = path.find('/', pos);
    std::string seg = path.substr(pos, slash == std::string::npos ? std::string::npos : slash - pos);
    if (seg == "..") {
      if (!out.empty()) out.pop_back();
    } else if (!seg.empty() && seg != ".") {
      out.push_back(seg);
    }
    if (slash == std::string::npos) break;
    pos = slash + 1;
  }
  std::string result;
  for (const auto& s : out) result += "/" + s;
  bool trailing = !path.empty() && (path.back() == '/' || path.ends_with("/.") || path.ends_with("/.."));
  if (result.empty()) return "/";
  if (trailing) result += "/";
  return result;
}

std::string CanonicalUri(const std::string& path, bool normalize) {
  std::string p = path.empty() ? "/" : path;
  if (normalize) p = NormalizePath(p);
  return Encode(p, true);
}

std::string CanonicalQuery(const std::string& raw,
                           const std::vector<std::pair<std::string, std::string>>& extra) {
  std::vector<std::pair<std::string, std::string>> params;
  size_t pos = 0;
  while (!raw.empty() && pos <= raw.size()) {
    size_t amp = raw.find('&', pos);
    std::string item = raw.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    if (!item.empty()) {
      size_t eq = item.find('=');
      std::string k = eq == std::string::npos ? item : item.substr(0, eq);
      std::string v = eq == std::string::npos ? "" : item.substr(eq + 1);
      params.emplace_back(Encode(Decode(k), false), Encode(Decode(v), false));
    }
    if (amp == std::string::npos) break;
    pos = amp + 1;
  }
  for (const auto& [k, v] : extra) params.emplace_back(Encode(k, false), Encode(v, false));
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [k, v] : params) out += (out.empty() ? "" : "&") + k + "=" + v;
  return out;
}

std::string Trim(const std::string& v) {
  std::string out;
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
    } else {
      if (space) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

struct Canonical {
  std::string headers, signed_headers;
};

Canonical CanonicalHeaders(const std::vector<std::pair<std::string, std::string>>& headers) {
  std::map<std::string, std::vector<std::string>> merged;  // repeated headers: values in order
  for (const auto& [name, value] : headers) {
    std::string key = name;
    std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
    merged[key].push_back(Trim(value));
  }
  Canonical c;
  for (const auto& [k, values] : merged) {
    std::string joined;
    for (size_t i = 0; i < values.size(); ++i) joined += (i ? "," : "") + values[i];
    c.headers += k + ":" + joined + "\n";
    c.signed_headers += (c.signed_headers.empty() ? "" : ";") + k;
  }
  return c;
}

std::string Scope(const SigV4Params& p) {
  return p.amz_date.substr(0, 8) + "/" + p.region + "/" + p.service + "/aws4_request";
}

std::string Signature(const AwsCredentials& cred, const SigV4Params& p, const std::string& string_to_sign) {
  std::string k = HmacSha256("AWS4" + cred.secret_access_key, p.amz_date.substr(0, 8));
  k = HmacSha256(k, p.region);
  k = HmacSha256(k, p.service);
  k = HmacSha256(k, "aws4_request");
  return HmacSha256Hex(k, string_to_sign);
}

SigV4Signed Finish(SigV4Signed s, const std::string& method, const std::string& uri, const std::string& query,
                   const Canonical& headers, const std::string& payload_hash, const AwsCredentials& cred,
                   const SigV4Params& p) {
  s.canonical_request = method + "\n" + uri + "\n" + query + "\n" + headers.headers + "\n" +
                        headers.signed_headers + "\n" + payload_hash;
  s.string_to_sign =
      "AWS4-HMAC-SHA256\n" + p.amz_date + "\n" + Scope(p) + "\n" + Sha256Hex(s.canonical_request);
  s.signature = Signature(cred, p, s.string_to_sign);
  return s;
}

}  // namespace

std::string AmzDate(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

SigV4Signed SignWithHeaders(const SigV4Request& r, const AwsCredentials& cred, const SigV4Params& p) {
  SigV4Signed s;
  auto headers = r.headers;
  std::string payload_hash = Sha256Hex(r.body);
  headers.emplace_back("X-Amz-Date", p.amz_date);
  s.add_headers.emplace_back("X-Amz-Date", p.amz_date);
  if (!cred.session_token.empty() && !p.omit_session_token) {
    headers.emplace_back("X-Amz-Security-Token", cred.session_token);
    s.add_headers.emplace_back("X-Amz-Security-Token", cred.session_token);
  }
  if (p.sign_body) {
    headers.emplace_back("x-amz-content-sha256", payload_hash);
    s.add_headers.emplace_back("x-amz-content-sha256", payload_hash);
  }
  Canonical c = CanonicalHeaders(headers);
  s = Finish(std::move(s), r.method, CanonicalUri(r.path, p.normalize_path), CanonicalQuery(r.query, {}), c,
             payload_hash, cred, p);
  s.add_headers.emplace_back("Authorization", "AWS4-HMAC-SHA256 Credential=" + cred.access_key_id + "/" +
                                                  Scope(p) + ", SignedHeaders=" + c.signed_headers +
                                                  ", Signature=" + s.signature);
  if (!cred.session_token.empty() && p.omit_session_token)
    s.add_headers.emplace_back("X-Amz-Security-Token", cred.session_token);
  return s;
}

SigV4Signed SignWithQuery(const SigV4Request& r, const AwsCredentials& cred, const SigV4Params& p) {
  SigV4Signed s;
  Canonical c = CanonicalHeaders(r.headers);
  std::vector<std::pair<std::string, std::string>> auth = {
      {"X-Amz-Algorithm", "AWS4-HMAC-SHA256"},
      {"X-Amz-Credential", cred.access_key_id + "/" + Scope(p)},
      {"X-Amz-Date", p.amz_date},
      {"X-Amz-Expires", std::to_string(p.expires_seconds)},
      {"X-Amz-SignedHeaders", c.signed_headers}};
  if (!cred.session_token.empty() && !p.omit_session_token)
    auth.emplace_back("X-Amz-Security-Token", cred.session_token);
  std::string query = CanonicalQuery(r.query, auth);
  std::string payload_hash = Sha256Hex(r.body);
  s = Finish(std::move(s), r.method, CanonicalUri(r.path, p.normalize_path), query, c, payload_hash, cred, p);
  s.query = query + "&X-Amz-Signature=" + s.signature;
  if (!cred.session_token.empty() && p.omit_session_token)
    s.query += "&X-Amz-Security-Token=" + Encode(cred.session_token, false);
  return s;
}

}  // namespace ringfence::aws
