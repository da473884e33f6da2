#include "cli/output_options.h"

#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <streambuf>
#include <string>

namespace ringfence::cli {
namespace {

OutputOptions& Mutable() {
  static OutputOptions options;
  return options;
}

// Swallows what is written to it (stdout under --quiet).
class NullBuffer : public std::streambuf {
 protected:
  int overflow(int c) override { return traits_type::not_eof(c); }
  std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};

bool TerminalWantsColor(int fd) {
  const char* no_color = std::getenv("NO_COLOR");  // https://no-color.org: set and not empty
  if (no_color != nullptr && *no_color != '\0') return false;
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::string(term) == "dumb") return false;
  return isatty(fd) != 0;
}

}  // namespace

const OutputOptions& Output() { return Mutable(); }

void AddOutputOptions(CLI::App& root) {
  root.add_flag(
      "-q,--quiet", Mutable().quiet,
      "Print nothing on stdout and no progress; errors still go to stderr, files named by flags are "
      "still written, the exit code tells the outcome");
  root.add_option_function<std::string>(
          "--color",
          [](const std::string& word) {
            Mutable().color = word == "always"  ? ColorMode::kAlways
                              : word == "never" ? ColorMode::kNever
                                                : ColorMode::kAuto;
          },
          "Colour in human text: auto (when stdout is a terminal and NO_COLOR is unset), always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->option_text("auto|always|never");
  root.fallthrough();  // also after the subcommand: ringfence check --quiet ...
}

void ApplyOutputOptions() {
  OutputOptions& o = Mutable();
  o.color_stdout = o.color == ColorMode::kAlways || (o.color == ColorMode::kAuto && TerminalWantsColor(1));
  if (o.quiet) {
    static NullBuffer null;
    std::cout.rdbuf(&null);
  }
}

}  // namespace ringfence::cli
