#include "engine/model/file_scan.h"

namespace ringfence {

const char* ToString(Language lang) {
  switch (lang) {
    case Language::kCpp:
      return "c++";
    case Language::kPython:
      return "python";
    case Language::kJavaScript:
      return "javascript";
    case Language::kGo:
      return "go";
    case Language::kJava:
      return "java";
    case Language::kNone:
      break;
  }
  return "none";
}

Language LanguageOf(std::string_view path) {
  size_t slash = path.rfind('/');
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return Language::kNone;
  std::string_view ext = name.substr(dot + 1);
  static constexpr std::string_view kCpp[] = {"c",   "cc",  "cpp", "cxx", "c++", "h", "hh", "hpp",
                                              "hxx", "h++", "ipp", "inl", "tcc", "m", "mm"};
  static constexpr std::string_view kJs[] = {"js", "jsx", "mjs", "cjs", "ts", "tsx", "mts", "cts"};
  for (auto e : kCpp)
    if (ext == e) return Language::kCpp;
  for (auto e : kJs)
    if (ext == e) return Language::kJavaScript;
  if (ext == "py" || ext == "pyi") return Language::kPython;
  if (ext == "go") return Language::kGo;
  if (ext == "java") return Language::kJava;
  return Language::kNone;
}

}  // namespace ringfence
