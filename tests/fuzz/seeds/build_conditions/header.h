#ifndef G
#define G
#if defined(A) || B
#include "x.h"
#elif C > 2
#include <y.h>
#else
#include "z.h"
#endif
#endif
