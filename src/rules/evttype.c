/*
 * evttype.c - event type table and bitsets (see evttype.h).
 *
 * Owns one static table, filled once under pthread_once from libaudit's
 * syscall tables; a sorted copy of the names gives O(log n) lookups.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libaudit.h>

#include "rules/evttype.h"

#define SYSCALL_NR_MAX	1024	/* numbers probed per arch */

/* Falco event names that are not syscalls (driver/event_table.c). */
static const char *const falco_events[] = {
	"procexit", "container", "signaldeliver", "switch", "notification",
	"infra", "pluginevent", "asyncevent", "k8s", "mesos", "drop",
	"scapevent", "cpu_hotplug", "procinfo", "page_fault", "tracer",
	"sysdigevent", "meta", "syscall",
};

static struct {
	const char	*names[EVT_MAX_TYPES];
	int		 sorted[EVT_MAX_TYPES];	/* indexes sorted by name */
	size_t		 n;
	size_t		 nsyscalls;	/* names[0..nsyscalls) are syscalls */
} tab;

static pthread_once_t tab_once = PTHREAD_ONCE_INIT;

static bool
tab_has(const char *name)
{
	size_t i;

	for (i = 0; i < tab.n; i++)
		if (strcmp(tab.names[i], name) == 0)
			return true;
	return false;
}

static void
tab_add(const char *name)
{
	if (name != NULL && tab.n < EVT_MAX_TYPES && !tab_has(name))
		tab.names[tab.n++] = name;
}

static int
cmp_sorted(const void *a, const void *b)
{
	return strcmp(tab.names[*(const int *)a], tab.names[*(const int *)b]);
}

static void
tab_build(void)
{
	static const int machines[] = { MACH_86_64, MACH_X86, MACH_AARCH64,
	    MACH_ARM, MACH_PPC64, MACH_S390X };
	size_t m, i;
	int nr;

	/* x86_64 first, so its common names get small indexes. */
	for (m = 0; m < sizeof(machines) / sizeof(machines[0]); m++)
		for (nr = 0; nr < SYSCALL_NR_MAX; nr++)
			tab_add(audit_syscall_to_name(nr, machines[m]));
	tab.nsyscalls = tab.n;
	for (i = 0; i < sizeof(falco_events) / sizeof(falco_events[0]); i++)
		tab_add(falco_events[i]);
	for (i = 0; i < tab.n; i++)
		tab.sorted[i] = (int)i;
	qsort(tab.sorted, tab.n, sizeof(tab.sorted[0]), cmp_sorted);
}

static void
tab_init(void)
{
	(void)pthread_once(&tab_once, tab_build);
}

size_t
evt_type_count(void)
{
	tab_init();
	return tab.n;
}

int
evt_type_index(const char *name, size_t len)
{
	size_t lo = 0, hi;

	tab_init();
	hi = tab.n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const char *s = tab.names[tab.sorted[mid]];
		int r = strncmp(name, s, len);
		if (r == 0)
			r = s[len] == '\0' ? 0 : -1;
		if (r == 0)
			return tab.sorted[mid];
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

const char *
evt_type_name(int i)
{
	tab_init();
	return i >= 0 && (size_t)i < tab.n ? tab.names[i] : NULL;
}

bool
evt_type_is_syscall(int i)
{
	tab_init();
	return i >= 0 && (size_t)i < tab.nsyscalls;
}

void
evt_set_clear(struct evt_set *s)
{
	memset(s, 0, sizeof(*s));
}

void
evt_set_fill(struct evt_set *s)
{
	memset(s->bits, 0xff, sizeof(s->bits));
	s->all = true;
}

void
evt_set_add(struct evt_set *s, int i)
{
	if (i >= 0 && i < EVT_MAX_TYPES)
		s->bits[i / 64] |= 1ull << (i % 64);
}

bool
evt_set_has(const struct evt_set *s, int i)
{
	return s->all || (i >= 0 && i < EVT_MAX_TYPES &&
	    (s->bits[i / 64] & (1ull << (i % 64))) != 0);
}

void
evt_set_union(struct evt_set *d, const struct evt_set *s)
{
	size_t i;

	for (i = 0; i < EVT_MAX_TYPES / 64; i++)
		d->bits[i] |= s->bits[i];
	d->all = d->all || s->all;
}

void
evt_set_intersect(struct evt_set *d, const struct evt_set *s)
{
	size_t i;

	for (i = 0; i < EVT_MAX_TYPES / 64; i++)
		d->bits[i] &= s->bits[i];
	d->all = d->all && s->all;
}

void
evt_set_complement(struct evt_set *s)
{
	size_t i, n = evt_type_count();

	for (i = 0; i < EVT_MAX_TYPES / 64; i++)
		s->bits[i] = ~s->bits[i];
	/* Bits past the table are never types. */
	for (i = n; i < EVT_MAX_TYPES; i++)
		s->bits[i / 64] &= ~(1ull << (i % 64));
	s->all = false;
	if (evt_set_count(s) == n)
		s->all = true;
}

size_t
evt_set_count(const struct evt_set *s)
{
	size_t i, c = 0, n = evt_type_count();

	if (s->all)
		return n;
	for (i = 0; i < n; i++)
		if (s->bits[i / 64] & (1ull << (i % 64)))
			c++;
	return c;
}

bool
evt_set_empty(const struct evt_set *s)
{
	return !s->all && evt_set_count(s) == 0;
}
