#include "adapters/git/message_trailers.h"

#include "adapters/git/git_handle.h"

namespace ringfence::git {

std::vector<std::pair<std::string, std::string>> MessageTrailers(const std::string& message) {
  EnsureInitialised();
  // git reads CRLF messages as LF ones; libgit2's parser does not, so the message is normalised.
  std::string normal;
  normal.reserve(message.size());
  for (size_t i = 0; i < message.size(); ++i) {
    if (message[i] == '\r' && (i + 1 == message.size() || message[i + 1] == '\n')) continue;
    if (message[i] == '\0') break;  // git stops at a NUL too
    normal += message[i];
  }
  git_message_trailer_array arr{};
  std::vector<std::pair<std::string, std::string>> out;
  if (git_message_trailers(&arr, normal.c_str()) != 0) return out;
  for (size_t i = 0; i < arr.count; ++i) {
    // A value continued on indented lines reads as one line, as `git interpret-trailers --parse` prints it.
    std::string value;
    const char* v = arr.trailers[i].value;
    for (size_t k = 0; v[k]; ++k) {
      if (v[k] != '\n') {
        value += v[k];
        continue;
      }
      while (v[k + 1] == ' ' || v[k + 1] == '\t') ++k;
      value += ' ';
    }
    while (!value.empty() && value.back() == ' ') value.pop_back();
    out.emplace_back(arr.trailers[i].key, value);
  }
  git_message_trailer_array_free(&arr);
  return out;
}

}  // namespace ringfence::git
