/*
 * conf.h - falconet's configuration (etc/falconet.yaml and -o overrides).
 *
 * The YAML file is flattened into dotted keys, Falco's way of naming
 * settings: `http_output: {enabled: true}` is "http_output.enabled",
 * a list `rules_files: [a, b]` is "rules_files[0]", "rules_files[1]", and
 * a list of maps gives "x[0].name".  `-o key=value` (Falco's syntax)
 * overrides or adds a key; `-o key=[a, b]` sets a list.  Modules read
 * the keys they own with typed getters; a bad value is recorded as an
 * error naming the file, line, column and key (or the -o option), and
 * the getter returns the default.  main() checks conf_errors() after
 * every module has read its settings, so one run reports every mistake.
 *
 * Read-only after loading: safe to share between threads once built.
 */
#ifndef FC_CONF_H
#define FC_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fc_conf;

enum {
	CONF_MAX_KEYS = 4096,
	CONF_MAX_ERRORS = 64,
	CONF_KEY_MAX = 256,
};

/* An empty configuration (built-in defaults only).  NULL on OOM. */
struct fc_conf *conf_new(void);
void	conf_free(struct fc_conf *c);

/*
 * Load a YAML file into c (later keys override earlier ones).  Returns 0,
 * or -1 with a message "FILE:LINE:COL: ..." in err.
 */
int	conf_load_file(struct fc_conf *c, const char *path, char *err,
	    size_t errlen);

/* Apply "-o key=value".  Returns 0, or -1 with a message in err. */
int	conf_set_option(struct fc_conf *c, const char *opt, char *err,
	    size_t errlen);

/* Raw value of key, or NULL when it is not set. */
const char *conf_get(const struct fc_conf *c, const char *key);

/* Where key was set ("file:line:col" or "-o key=..."), "" when unset. */
const char *conf_where(const struct fc_conf *c, const char *key);

/* Typed getters: the default when unset; an error recorded when invalid. */
bool	conf_bool(struct fc_conf *c, const char *key, bool def);
int64_t	conf_int(struct fc_conf *c, const char *key, int64_t min, int64_t max,
	    int64_t def);
const char *conf_str(struct fc_conf *c, const char *key, const char *def);

/* Number of elements of list key (key[0], key[1]...); values in out.
 * A key set to a non-empty plain value is a list of that one value. */
size_t	conf_list(const struct fc_conf *c, const char *key, const char **out,
	    size_t max);

/* Record an error about key (for checks a module does itself). */
void	conf_error(struct fc_conf *c, const char *key, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* The i-th key set, and where; false past the last. */
bool	conf_key_at(const struct fc_conf *c, size_t i, const char **key,
	    const char **where);

/*
 * conf_unknown - call fn for every key of c that the documented
 * configuration (etc/falconet.yaml, built in) does not have: a typo, or a
 * Falco setting falconet does not implement, which would otherwise be
 * ignored in silence.  Values below a documented list or empty map are
 * known.  Returns how many.  (conf_known.c)
 */
typedef void (*conf_key_fn)(const char *key, const char *where, void *arg);
size_t	conf_unknown(const struct fc_conf *c, conf_key_fn fn, void *arg);

/* Errors recorded so far: count, and the i-th message. */
size_t	conf_nerrors(const struct fc_conf *c);
const char *conf_error_msg(const struct fc_conf *c, size_t i);

#endif
