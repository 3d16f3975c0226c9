/* The formatter is shared with user space: common/fmt.h. */
#include "common/fmt.h"
