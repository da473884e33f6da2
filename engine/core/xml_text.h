// Text as XML 1.0 character data, for every XML and HTML this project writes (JUnit, SVG, HTML).
#pragma once

#include <string>
#include <string_view>

namespace ringfence {

// Bytes that are not UTF-8 become U+FFFD, characters XML forbids (controls but tab and newlines,
// U+FFFE, U+FFFF) become '?', and markup (& < > " ') is escaped: valid for any path or name a
// change or a scenario has, inside elements and quoted attributes alike.
std::string XmlEscape(std::string_view raw);

}  // namespace ringfence
