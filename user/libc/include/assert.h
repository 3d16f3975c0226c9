/* No include guard: C lets a file include this again after changing
 * NDEBUG. A failed assertion prints file, line, function and the
 * expression to stderr, then aborts. */
#undef assert
#ifdef NDEBUG
#define assert(e) ((void)0)
#else
__attribute__((noreturn)) void __libc_assert_fail(const char *expr, const char *file,
                                                  int line, const char *func);
#define assert(e) ((e) ? (void)0 : __libc_assert_fail(#e, __FILE__, __LINE__, __func__))
#endif

#ifndef static_assert
#define static_assert _Static_assert
#endif
