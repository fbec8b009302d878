/*
 * yaml_tree.h - a small, bounded YAML document tree (libyaml events).
 *
 * The rules loader needs what yaml-cpp gives Falco: scalars (with their
 * style, so plain "~" can be told from quoted "~"), sequences, maps, and
 * the position of every node.  Rules files are hostile input, so the
 * builder enforces limits on input size, nesting depth, node count
 * (aliases count with the size of what they point to, which defeats
 * "billion laughs" expansions) and scalar length.  All nodes of one
 * stream live in one arena and are freed together.
 */
#ifndef FC_RULES_YAML_TREE_H
#define FC_RULES_YAML_TREE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"

enum rl_ykind {
	RL_YSCALAR,
	RL_YSEQ,
	RL_YMAP,
};

enum rl_ystyle {
	RL_YPLAIN,		/* unquoted: may be null (~, null, empty) */
	RL_YSINGLE,		/* 'quoted' */
	RL_YDOUBLE,		/* "quoted" */
	RL_YLITERAL,		/* | block */
	RL_YFOLDED,		/* > block */
	RL_YFLOW,		/* [..] or {..} collection */
	RL_YBLOCK,		/* indented collection */
};

struct rl_ynode {
	enum rl_ykind		  kind;
	enum rl_ystyle		  style;
	unsigned		  line;		/* 1-based */
	unsigned		  col;		/* 1-based */
	size_t			  offset;	/* byte offset in the input */
	const char		 *str;		/* scalar text, NUL-terminated */
	size_t			  len;		/* scalar length */
	struct rl_ynode		**items;	/* seq: n nodes; map: n key/value pairs */
	size_t			  n;
	size_t			  weight;	/* nodes in this subtree */
};

struct rl_ylimits {
	size_t	max_input;	/* bytes */
	size_t	max_depth;	/* nested collections */
	size_t	max_nodes;	/* per stream, alias expansions included */
	size_t	max_scalar;	/* bytes per scalar */
};

/* A parse error: message and 1-based position. */
struct rl_yerror {
	char		msg[256];
	unsigned	line;
	unsigned	col;
	size_t		offset;
};

/* Every document of one input; a NULL root is an empty document. */
struct rl_ystream {
	struct fc_arena		  arena;
	struct rl_ynode		**docs;
	size_t			  ndocs;
};

/*
 * rl_yaml_parse - build the tree of every document in (buf, len).
 * lim may be NULL (defaults: 16 MiB input, depth 64, 1e6 nodes, 1 MiB
 * scalars).  Returns a stream to free with rl_yaml_free(), or NULL with
 * *err filled (syntax error, limit, alias to an unknown anchor, NUL in a
 * scalar, out of memory).
 */
struct rl_ystream	*rl_yaml_parse(const char *buf, size_t len,
			    const struct rl_ylimits *lim, struct rl_yerror *err);
void			 rl_yaml_free(struct rl_ystream *s);

/* yaml-cpp's IsNull(): a plain scalar "", "~", "null", "Null" or "NULL". */
bool	rl_ynode_is_null(const struct rl_ynode *n);

/* yaml-cpp's IsScalar(): a scalar that is not null. */
bool	rl_ynode_is_scalar(const struct rl_ynode *n);

/* Value of the first key equal to key in map m, or NULL (also if m is
 * not a map).  Like yaml-cpp, the first of duplicate keys wins. */
const struct rl_ynode	*rl_ymap_get(const struct rl_ynode *m, const char *key);

#endif
