/* String routines are shared with user space: common/string.h. */
#include "common/string.h"
