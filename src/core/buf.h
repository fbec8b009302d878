/*
 * buf.h - a growable output byte buffer with a hard cap, and JSON writing.
 *
 * Used to format one event or alert at a time: reset, append, write out.
 * The memory is kept across resets.  Past the cap appends are dropped and
 * fc_buf.overflow is set, so a hostile event cannot make output unbounded.
 *
 * JSON strings: valid UTF-8 is written as is (with the escapes JSON needs);
 * a byte that is not part of valid UTF-8 is written as %XX, as laurel
 * does, so every output line is valid UTF-8 JSON.
 */
#ifndef FC_CORE_BUF_H
#define FC_CORE_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fc_buf {
	char	*p;
	size_t	 len;
	size_t	 cap;
	size_t	 max;		/* hard cap on len */
	bool	 overflow;
};

void	fc_buf_init(struct fc_buf *b, size_t max);
void	fc_buf_fini(struct fc_buf *b);
void	fc_buf_reset(struct fc_buf *b);

void	fc_buf_add(struct fc_buf *b, const void *p, size_t len);
void	fc_buf_addc(struct fc_buf *b, char c);
void	fc_buf_adds(struct fc_buf *b, const char *s);
/*
 * Numbers as text without printf, which took a quarter of the JSON
 * writer's time: v in base 8, 10 or 16 (lowercase), at least minwidth
 * digits (zero-padded), into out, NUL-terminated; returns the length.
 * out holds FC_FMT_MAX bytes (a 64-bit value in octal: 22 digits).
 */
enum { FC_FMT_MAX = 24 };
size_t	fc_fmt_uint(char *out, uint64_t v, unsigned base, unsigned minwidth);
/* v in decimal, with a '-' when negative. */
size_t	fc_fmt_int(char *out, int64_t v);

void	fc_buf_printf(struct fc_buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* JSON pieces.  fc_json_key writes ,"key": with the comma when needed. */
void	fc_json_str(struct fc_buf *b, const char *p, size_t len);
void	fc_json_key(struct fc_buf *b, bool *first, const char *key);
void	fc_json_kstr(struct fc_buf *b, bool *first, const char *key,
	    const char *p, size_t len);
void	fc_json_ku64(struct fc_buf *b, bool *first, const char *key,
	    uint64_t v);
void	fc_json_ki64(struct fc_buf *b, bool *first, const char *key,
	    int64_t v);
void	fc_json_kbool(struct fc_buf *b, bool *first, const char *key, bool v);

#endif
