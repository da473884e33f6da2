// RINGFENCE_ASAN is 1 in a build under AddressSanitizer (GCC's and clang's ways of saying so).
#pragma once

#if defined(__SANITIZE_ADDRESS__)
#define RINGFENCE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RINGFENCE_ASAN 1
#endif
#endif
#ifndef RINGFENCE_ASAN
#define RINGFENCE_ASAN 0
#endif
