/*
 * loader.h - Falco rules files -> one collector of lists, macros, rules.
 *
 * Reads rules files (falco.md §2) with Falco's exact collection semantics:
 * item kinds, allowed keys, redefinition in place, append/override,
 * enabled-only items, priorities, tags, sources, exceptions, version
 * requirements.  rl_finish() then does what Falco's compiler does before
 * parsing: one-level list-in-list expansion, exceptions appended to the
 * condition text, textual list substitution into every macro and rule
 * condition, %container.info removal, plugin requirement check.  The
 * result is plain data for the condition compiler (the lead's stage),
 * which parses conditions, resolves macros on the AST, marks macros used
 * and finally asks for the unused-macro/list warnings.
 *
 * Loading stops at the first error (as Falco's reader does); warnings
 * are all kept.  Nothing here logs or exits.  Not thread-safe; one
 * collector per loading thread.
 */
#ifndef FC_RULES_LOADER_H
#define FC_RULES_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FC_ENGINE_VERSION		"0.63.0"
#define FC_CONTAINER_PLUGIN_NAME	"container"
#define FC_CONTAINER_PLUGIN_VERSION	"0.6.0"

/* Falco's load_result codes; errors first, then warnings. */
enum rl_code {
	RL_LOAD_ERR_FILE_READ,
	RL_LOAD_ERR_YAML_PARSE,
	RL_LOAD_ERR_YAML_VALIDATE,
	RL_LOAD_ERR_COMPILE_CONDITION,
	RL_LOAD_ERR_COMPILE_OUTPUT,
	RL_LOAD_ERR_VALIDATE,
	RL_LOAD_ERR_EXTENSION,
	RL_LOAD_UNKNOWN_SOURCE,		/* first warning */
	RL_LOAD_UNSAFE_NA_CHECK,
	RL_LOAD_NO_EVTTYPE,
	RL_LOAD_UNKNOWN_FILTER,
	RL_LOAD_UNUSED_MACRO,
	RL_LOAD_UNUSED_LIST,
	RL_LOAD_UNKNOWN_ITEM,
	RL_LOAD_DEPRECATED_ITEM,
	RL_LOAD_WARNING_EXTENSION,
	RL_LOAD_APPEND_NO_VALUES,
	RL_LOAD_EXCEPTION_NAME_NOT_UNIQUE,
	RL_LOAD_INVALID_MACRO_NAME,
	RL_LOAD_INVALID_LIST_NAME,
	RL_LOAD_COMPILE_CONDITION,
	RL_LOAD_UNKNOWN_KEY,
	RL_CODE_COUNT
};

/* Kind of the top-level item a diagnostic is about (Falco item_type). */
enum rl_item_kind {
	RL_ITEM_CONTENT,		/* "rules content": the file itself */
	RL_ITEM_CONTENT_ITEM,		/* "rules content item" */
	RL_ITEM_ENGINE_VERSION,		/* "required_engine_version" */
	RL_ITEM_PLUGIN_VERSIONS,	/* "required_plugin_versions" */
	RL_ITEM_LIST,
	RL_ITEM_MACRO,
	RL_ITEM_RULE,
};

/* Priorities; the value is the syslog level. */
enum rl_priority {
	RL_PRIO_EMERGENCY = 0,
	RL_PRIO_ALERT,
	RL_PRIO_CRITICAL,
	RL_PRIO_ERROR,
	RL_PRIO_WARNING,
	RL_PRIO_NOTICE,
	RL_PRIO_INFORMATIONAL,
	RL_PRIO_DEBUG,
};

/*
 * A source position.  line and col are 1-based (Falco prints yaml-cpp's
 * 0-based marks: subtract 1 for byte-identical "-V" output); 0/0 means
 * "the whole file".  file points into the collector.
 */
struct rl_pos {
	const char	*file;
	unsigned	 line;
	unsigned	 col;
	size_t		 offset;
};

/* One error or warning, in the order Falco would report it. */
struct rl_diag {
	enum rl_code		 code;
	char			*msg;
	struct rl_pos		 pos;		/* the node the message is about */
	enum rl_item_kind	 item_kind;	/* enclosing top-level item */
	char			*item_name;	/* "" when unnamed */
	struct rl_pos		 item_pos;
};

struct rl_list {
	const char	 *name;
	const char	**items;	/* after one-level list-in-list expansion */
	size_t		  n_items;
	bool		  used;		/* by a list, or substituted in a condition */
	struct rl_pos	  pos;		/* latest (re)definition */
	uint32_t	  index;	/* id of the first definition */
	uint32_t	  visibility;	/* id of the latest define/append */
};

/*
 * Macro visibility (§2.5): macro M may reference macro X only if
 * X.index < M.visibility.  Rules see every macro.
 */
struct rl_macro {
	const char	*name;
	const char	*cond;		/* after list substitution */
	struct rl_pos	 pos;		/* item of the latest (re)definition */
	struct rl_pos	 cond_pos;	/* its condition node */
	uint32_t	 index;
	uint32_t	 visibility;
	bool		 used;		/* set with rl_mark_macro_used() */
};

struct rl_rule {
	const char	 *name;
	const char	 *cond;		/* with exceptions, after list substitution */
	const char	 *output;	/* trimmed, %container.info removed */
	const char	 *desc;
	const char	 *source;
	const char	**tags;		/* sorted, unique */
	size_t		  n_tags;
	enum rl_priority  priority;
	bool		  enabled;
	bool		  skip_if_unknown_filter;
	bool		  warn_evttypes;
	bool		  capture;
	uint64_t	  capture_duration;	/* ms */
	struct rl_pos	  pos;		/* item of the latest full definition */
	struct rl_pos	  cond_pos;
	struct rl_pos	  output_pos;
	uint32_t	  index;	/* evaluation order key */
};

/*
 * Everything loaded so far.  lists/macros/rules are filled by a
 * successful rl_finish() (empty before, partial after a failed one) and
 * stay valid until the next rl_load_*(), rl_finish() or free; diags are
 * live (re-read rl_result() after anything that can add one).  Arrays
 * are in definition order, which is the evaluation order for rules.
 */
struct rl_result {
	const struct rl_list	*lists;
	size_t			 n_lists;
	const struct rl_macro	*macros;
	size_t			 n_macros;
	const struct rl_rule	*rules;		/* rules of unknown sources left out */
	size_t			 n_rules;
	const struct rl_diag	*diags;		/* errors and warnings, in order */
	size_t			 n_diags;
	size_t			 n_errors;
	const char		*required_engine_version;	/* max seen, or NULL */
	bool			 finished;	/* rl_finish() succeeded */
};

/* Callback deciding whether an exception field (possibly a transformer
 * expression such as "tolower(proc.name)") is a supported field. */
typedef bool	(*rl_field_fn)(void *arg, const char *field);

struct rl_options {
	size_t		  max_file_size;	/* default 16 MiB */
	size_t		  max_depth;		/* YAML nesting, default 64 */
	size_t		  max_nodes;		/* per file, default 1000000 */
	size_t		  max_scalar;		/* default 1 MiB */
	size_t		  max_cond_len;		/* after expansion, default 1 MiB */
	size_t		  max_dir_files;	/* default 4096 */
	const char *const *sources;		/* NULL-terminated; NULL = {"syscall"} */
	rl_field_fn	  field_defined;	/* NULL: fields are not checked */
	void		 *field_arg;
};

struct rl_collector;

/* opt may be NULL for the defaults.  NULL on out of memory. */
struct rl_collector	*rl_collector_new(const struct rl_options *opt);
void			 rl_collector_free(struct rl_collector *c);

/*
 * Load one rules file, a directory (its *.yaml / *.yml regular files in
 * strcmp order), a path of either kind, or a buffer named name.  Each
 * returns 0, or -1 once the collector holds an error (later calls do
 * nothing and return -1 too).
 */
int	rl_load_file(struct rl_collector *c, const char *path);
int	rl_load_dir(struct rl_collector *c, const char *path);
int	rl_load_path(struct rl_collector *c, const char *path);
int	rl_load_buffer(struct rl_collector *c, const char *name,
	    const char *text, size_t len);

/*
 * rl_finish - check plugin requirements, compile lists, build exception
 * conditions and substitute lists, in Falco's order.  Call once after the
 * last load.  Returns 0 or -1 (first error recorded).
 */
int	rl_finish(struct rl_collector *c);

/* The current result; see struct rl_result for lifetimes. */
const struct rl_result	*rl_result(struct rl_collector *c);

/* For the condition compiler: record AST-level macro use. */
void	rl_mark_macro_used(struct rl_collector *c, size_t macro_idx);
int	rl_mark_macro_used_by_name(struct rl_collector *c, const char *name);

/*
 * Append LOAD_UNUSED_MACRO warnings for macros not marked used, then
 * LOAD_UNUSED_LIST for lists nothing referenced (Falco's order).  Call
 * after the compiler has marked every macro; only once.
 */
void	rl_emit_unused_warnings(struct rl_collector *c);

/*
 * Record a diagnostic from a later stage (condition/output compile) so
 * that one list holds everything; msg and names are copied, pos.file is
 * re-interned.  Returns 0 or -1 on out of memory.
 */
int	rl_add_diag(struct rl_collector *c, const struct rl_diag *d);

const char	*rl_code_name(enum rl_code code);	/* "LOAD_ERR_YAML_PARSE" */
const char	*rl_code_desc(enum rl_code code);	/* "YAML parse error" */
bool		 rl_code_is_error(enum rl_code code);
const char	*rl_item_kind_name(enum rl_item_kind k);	/* "rule" */
const char	*rl_priority_name(enum rl_priority p);	/* "Warning" */
/* Falco's parse_priority: case-insensitive, "info" too; -1 if unknown. */
int		 rl_priority_parse(const char *s);

#endif
