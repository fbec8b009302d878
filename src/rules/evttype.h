/*
 * evttype.h - the event types a rule can name, and sets of them.
 *
 * An event type is a syscall name (from libaudit's tables for every arch
 * we may see: x86_64, i386, aarch64, arm, ppc, s390) or one of Falco's
 * non-syscall event names (procexit, container...).  Each gets a small
 * index; a set is a fixed bitset over those indexes.  The table is built
 * once, on first use, and is immutable afterwards (thread-safe).
 *
 * Used three ways: `evt.type = X` values are validated against it
 * ("unknown event type X"); rules are indexed by the set of types their
 * condition can match (falco.md §1.11); the union of those sets is what
 * the kernel must report.
 */
#ifndef FC_RULES_EVTTYPE_H
#define FC_RULES_EVTTYPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	EVT_MAX_TYPES = 1024,	/* bitset size; the table holds ~600 */
};

struct evt_set {
	bool		 all;	/* every type (no evt.type restriction) */
	uint64_t	 bits[EVT_MAX_TYPES / 64];
};

/* Number of known types; indexes run from 0 to that minus one. */
size_t	evt_type_count(void);

/* Index of NAME, or -1 when it is not a known event type. */
int	evt_type_index(const char *name, size_t len);

/* Name of index i. */
const char *evt_type_name(int i);

/* Whether i is a syscall (false for procexit, container...). */
bool	evt_type_is_syscall(int i);

void	evt_set_clear(struct evt_set *s);
void	evt_set_fill(struct evt_set *s);		/* all */
void	evt_set_add(struct evt_set *s, int i);
bool	evt_set_has(const struct evt_set *s, int i);
void	evt_set_union(struct evt_set *d, const struct evt_set *s);
void	evt_set_intersect(struct evt_set *d, const struct evt_set *s);
void	evt_set_complement(struct evt_set *s);
size_t	evt_set_count(const struct evt_set *s);	/* all: every known type */
bool	evt_set_empty(const struct evt_set *s);

#endif
