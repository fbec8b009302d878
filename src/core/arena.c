/*
 * arena.c - chunked bump allocator (see arena.h).
 *
 * Owns its chunks.  The first chunk is kept across resets; larger or
 * extra chunks are freed on reset so one huge event does not pin memory.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"

#define ARENA_CHUNK	16384

struct fc_arena_chunk {
	struct fc_arena_chunk	*next;
	size_t			 size;	/* usable bytes in data */
	size_t			 off;	/* next free byte */
	_Alignas(16) char	 data[];
};

void
fc_arena_init(struct fc_arena *a, size_t cap)
{
	a->head = NULL;
	a->used = 0;
	a->cap = cap;
}

void
fc_arena_fini(struct fc_arena *a)
{
	struct fc_arena_chunk *c, *next;

	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	a->head = NULL;
	a->used = 0;
}

void
fc_arena_reset(struct fc_arena *a)
{
	struct fc_arena_chunk *c, *keep = NULL;

	/* Keep the oldest standard-size chunk, free the rest. */
	while ((c = a->head) != NULL) {
		a->head = c->next;
		if (c->next == NULL && c->size == ARENA_CHUNK)
			keep = c;
		else
			free(c);
	}
	if (keep != NULL) {
		keep->off = 0;
		keep->next = NULL;
	}
	a->head = keep;
	a->used = 0;
}

static struct fc_arena_chunk *
arena_grow(struct fc_arena *a, size_t size)
{
	struct fc_arena_chunk *c;
	size_t csize = size > ARENA_CHUNK ? size : ARENA_CHUNK;

	c = malloc(sizeof(*c) + csize);
	if (c == NULL)
		return NULL;
	c->size = csize;
	c->off = 0;
	c->next = a->head;
	a->head = c;
	return c;
}

void *
fc_arena_alloc(struct fc_arena *a, size_t size)
{
	struct fc_arena_chunk *c = a->head;
	void *p;

	size = (size + 7) & ~(size_t)7;
	if (size == 0 || size > a->cap - a->used)
		return NULL;
	if (c == NULL || c->size - c->off < size) {
		c = arena_grow(a, size);
		if (c == NULL)
			return NULL;
	}
	p = c->data + c->off;
	c->off += size;
	a->used += size;
	return p;
}

char *
fc_arena_strndup(struct fc_arena *a, const char *p, size_t len)
{
	char *s;

	if (len >= SIZE_MAX - 8)
		return NULL;
	s = fc_arena_alloc(a, len + 1);
	if (s == NULL)
		return NULL;
	if (len > 0)
		memcpy(s, p, len);
	s[len] = '\0';
	return s;
}
