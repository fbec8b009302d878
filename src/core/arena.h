/*
 * arena.h - a bump allocator made of chunks, for the strings of one event.
 *
 * Allocations never move (chunks are not reallocated), so pointers into
 * the arena stay valid until fc_arena_reset().  Reset keeps the first
 * chunk for reuse, which makes the common event allocation-free.  The
 * total is capped: past the cap every allocation fails, and the caller
 * records the truncation.  Not thread-safe; owned by one event.
 */
#ifndef FC_CORE_ARENA_H
#define FC_CORE_ARENA_H

#include <stddef.h>

struct fc_arena_chunk;

struct fc_arena {
	struct fc_arena_chunk	*head;	/* current chunk, newest first */
	size_t			 used;	/* bytes handed out in total */
	size_t			 cap;	/* hard limit on used */
};

void	 fc_arena_init(struct fc_arena *a, size_t cap);
void	 fc_arena_fini(struct fc_arena *a);
void	 fc_arena_reset(struct fc_arena *a);

/* size bytes aligned to 8, or NULL when the cap is reached or malloc fails. */
void	*fc_arena_alloc(struct fc_arena *a, size_t size);

/* Copy of (p, len) with a NUL after it, or NULL. */
char	*fc_arena_strndup(struct fc_arena *a, const char *p, size_t len);

#endif
