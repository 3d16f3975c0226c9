/* ae_strerror: the text of each AE_ERR_* code, from the same X-macro list. */
#include "aether/errors.h"

const char *ae_strerror(long err)
{
    switch (err) {
    case AE_OK:
        return "success";
#define AE_X_TEXT(name, value, text) case name: return text;
    AE_ERROR_LIST(AE_X_TEXT)
#undef AE_X_TEXT
    default:
        return "unknown error";
    }
}
