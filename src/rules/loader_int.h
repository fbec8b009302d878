/*
 * loader_int.h - private to the rules loader (loader*.c) and its tests.
 *
 * The collector mirrors Falco's rule_loader::collector: lists, macros and
 * rules in definition order with a name index each, one id counter shared
 * by all three (index = id of the first definition, visibility = id of
 * the latest define/append/replace), the diagnostics, and the version
 * requirements.  Reading code reports failures by adding an error
 * diagnostic and returning -1 up the call chain (Falco throws).
 */
#ifndef FC_RULES_LOADER_INT_H
#define FC_RULES_LOADER_INT_H

#include <stdarg.h>

#include "rules/loader.h"
#include "rules/yaml_tree.h"

/* One value of an exception's fields/comps/values: a scalar or a list. */
struct rl_exentry {
	bool			 is_list;
	char			*item;		/* NULL unless a non-empty scalar */
	struct rl_exentry	*items;
	size_t			 n;
};

struct rl_exc {
	char			*name;
	struct rl_exentry	 fields;
	struct rl_exentry	 comps;
	struct rl_exentry	*values;	/* each one row */
	size_t			 n_values;
	struct rl_pos		 pos;
};

struct rl_excs {
	struct rl_exc	*v;
	size_t		 n;
};

struct cl_list {
	char		*name;
	char		**items;
	size_t		 n, cap;
	struct rl_pos	 pos;
	uint32_t	 index, visibility;
};

struct cl_macro {
	char		*name;
	char		*cond;
	struct rl_pos	 pos, cond_pos;
	uint32_t	 index, visibility;
};

struct cl_rule {
	char		*name, *cond, *output, *desc, *source;
	char		**tags;
	size_t		 n_tags;
	int		 priority;
	bool		 enabled, skip_if_unknown_filter, warn_evttypes, capture;
	bool		 unknown_source;
	uint64_t	 capture_duration;
	struct rl_excs	 exc;
	struct rl_pos	 pos, cond_pos, output_pos;
	uint32_t	 index, visibility;
};

/* Name -> index into one of the item vectors (open addressing). */
struct rl_names {
	const char	**keys;
	size_t		 *vals;
	size_t		  cap, n;
};

struct rl_plugin_req {
	char	*name;
	char	*version;
};

struct rl_plugin_alts {
	struct rl_plugin_req	*v;
	size_t			 n;
	struct rl_pos		 pos;
};

struct rl_collector {
	struct rl_options	 opt;
	struct rl_ylimits	 ylim;
	char			**files;	/* interned file names */
	size_t			 n_files, cap_files;
	struct cl_list		*lists;
	size_t			 n_lists, cap_lists;
	struct cl_macro		*macros;
	size_t			 n_macros, cap_macros;
	struct cl_rule		*rules;
	size_t			 n_rules, cap_rules;
	struct rl_names		 list_names, macro_names, rule_names;
	uint32_t		 cur_index;
	struct rl_diag		*diags;
	size_t			 n_diags, cap_diags, n_errors;
	bool			 failed, finished, unused_done;
	bool			 have_engine;
	uint64_t		 engine[3];
	char			 engine_str[80];
	struct rl_plugin_alts	*plugins;
	size_t			 n_plugins;
	/* rl_finish() output */
	struct rl_list		*r_lists;
	struct rl_macro		*r_macros;
	struct rl_rule		*r_rules;
	size_t			 n_r_rules;
	struct rl_result	 res;
};

/* Context of the item being read, for diagnostics. */
struct rd_ctx {
	struct rl_collector	*c;
	const char		*file;		/* interned */
	enum rl_item_kind	 kind;
	const char		*name;
	struct rl_pos		 item_pos;
	const struct rl_ynode	*at;		/* default node for errors */
};

/* loader.c */
int	rl_diag_add(struct rl_collector *c, enum rl_code code,
	    const struct rd_ctx *x, const struct rl_pos *pos, const char *msg);
int	rd_err(const struct rd_ctx *x, enum rl_code code,
	    const struct rl_ynode *node, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));
void	rd_warn(const struct rd_ctx *x, enum rl_code code,
	    const struct rl_ynode *node, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));
struct rl_pos	rd_pos(const struct rd_ctx *x, const struct rl_ynode *node);
char	*rl_strdup(const char *s);
int	 rl_strappend(char **dst, const char *sep, const char *src);
int	 rl_names_put(struct rl_names *t, const char *key, size_t val);
bool	 rl_names_get(const struct rl_names *t, const char *key, size_t *val);
void	 rl_names_free(struct rl_names *t);
int	 rl_grow(void **v, size_t *cap, size_t n, size_t elem);

/* loader_read.c */
int	rd_str(const struct rd_ctx *x, const struct rl_ynode *item,
	    const char *key, bool optional, char **out);
int	rd_bool(const struct rd_ctx *x, const struct rl_ynode *item,
	    const char *key, bool optional, bool *out);
int	rd_u64(const struct rd_ctx *x, const struct rl_ynode *item,
	    const char *key, uint64_t max, uint64_t *out);
int	rd_scalar(const struct rd_ctx *x, const struct rl_ynode *item,
	    const char *key, bool optional, const struct rl_ynode **out);
int	rd_tags(const struct rd_ctx *x, const struct rl_ynode *item,
	    char ***tags, size_t *n);
void	rd_free_strv(char **v, size_t n);

#define RD_OV_MAX	16
struct rd_overrides {
	const char	*append[RD_OV_MAX];
	size_t		 n_append;
	const char	*replace[RD_OV_MAX];
	size_t		 n_replace;
};
int	rd_overrides(const struct rd_ctx *x, const struct rl_ynode *item,
	    const char *const *can_append, const char *const *can_replace,
	    struct rd_overrides *ov);
bool	rd_in(const char *const *set, size_t n, const char *s);
void	rd_unknown_keys(const struct rd_ctx *x, const struct rl_ynode *item,
	    const char *const *allowed);
int	rd_engine_version(struct rd_ctx *x, const struct rl_ynode *item);
int	rd_plugin_versions(struct rd_ctx *x, const struct rl_ynode *item);
int	rd_list(struct rd_ctx *x, const struct rl_ynode *item);
int	rd_macro(struct rd_ctx *x, const struct rl_ynode *item);
bool	rl_semver_parse(const char *s, uint64_t v[3]);
bool	rl_semver_compatible(const uint64_t have[3], const uint64_t req[3]);

/* loader_rule.c */
int	rd_rule(struct rd_ctx *x, const struct rl_ynode *item);
void	cl_rule_free(struct cl_rule *r);

/* loader_exc.c */
int	rd_exceptions(const struct rd_ctx *x, const struct rl_ynode *item,
	    bool append, struct rl_excs *out);
void	rl_excs_free(struct rl_excs *e);
int	cl_exc_validate(const struct rd_ctx *x, bool known_source,
	    struct rl_exc *ex);
int	cl_exc_define(const struct rd_ctx *x, bool known_source,
	    struct rl_excs *e);
int	cl_exc_append(const struct rd_ctx *x, bool known_source,
	    struct rl_excs *prev, struct rl_excs *add);
int	rl_exc_build(const struct rd_ctx *x, const struct rl_excs *e,
	    char **cond);

/* loader_final.c */
void	rl_result_free(struct rl_collector *c);

#endif
