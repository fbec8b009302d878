/*
 * event.c - lifecycle of struct fc_event.
 *
 * The event owns its arena; ev_argv points into it.  Reset keeps the
 * arena's first chunk so that recycling an event costs no malloc.
 */
#include "config.h"

#include <string.h>

#include "core/event.h"

static void
event_clear(struct fc_event *ev)
{
	/* Clear the fixed part; the large arrays are cleared by count. */
	ev->ev_sec = 0;
	ev->ev_msec = 0;
	ev->ev_serial = 0;
	ev->ev_node = (struct fc_str){ NULL, 0 };
	ev->ev_flags = 0;
	ev->ev_num = 0;
	ev->ev_nrecords = 0;
	ev->ev_rec_types = NULL;
	ev->ev_rec_cap = 0;
	ev->ev_fields = NULL;
	ev->ev_field_cap = 0;
	ev->ev_arch = 0;
	ev->ev_syscall = -1;
	ev->ev_syscall_name = NULL;
	ev->ev_exit = 0;
	memset(ev->ev_a, 0, sizeof(ev->ev_a));
	ev->ev_items = -1;
	ev->ev_pid = ev->ev_ppid = -1;
	ev->ev_auid = ev->ev_uid = ev->ev_gid = ev->ev_euid = UINT32_MAX;
	ev->ev_suid = ev->ev_fsuid = ev->ev_egid = ev->ev_sgid = UINT32_MAX;
	ev->ev_fsgid = ev->ev_ses = UINT32_MAX;
	ev->ev_id_mask = 0;
	ev->ev_tty = ev->ev_comm = ev->ev_exe = ev->ev_subj =
	    (struct fc_str){ NULL, 0 };
	ev->ev_nkeys = 0;
	ev->ev_cwd = ev->ev_proctitle = (struct fc_str){ NULL, 0 };
	ev->ev_argc = -1;
	ev->ev_nargv = 0;
	ev->ev_argv = NULL;
	ev->ev_npaths = 0;
	memset(&ev->ev_sockaddr, 0, sizeof(ev->ev_sockaddr));
	ev->ev_nobj_pids = 0;
	ev->ev_nfields = 0;
	ev->ev_argv_cap = 0;
	ev->ev_chunk_arg = -1;
	ev->ev_chunk_cap = 0;
}

void
fc_event_init(struct fc_event *ev)
{
	event_clear(ev);
	fc_arena_init(&ev->ev_arena, FC_EV_MAX_BYTES);
}

void
fc_event_fini(struct fc_event *ev)
{
	fc_arena_fini(&ev->ev_arena);
	event_clear(ev);
}

void
fc_event_reset(struct fc_event *ev)
{
	fc_arena_reset(&ev->ev_arena);
	event_clear(ev);
}

bool
fc_event_grow(struct fc_event *ev, void **arr, uint32_t *cap, size_t esz,
    uint32_t need)
{
	uint64_t ncap;
	void *n;

	if (need <= *cap)
		return true;
	ncap = *cap ? (uint64_t)*cap * 2 : 8;
	while (ncap < need)
		ncap *= 2;
	if (ncap > UINT32_MAX)
		return false;
	n = fc_arena_alloc(&ev->ev_arena, (size_t)ncap * esz);
	if (n == NULL)
		return false;
	if (*cap > 0)
		memcpy(n, *arr, (size_t)*cap * esz);
	*arr = n;
	*cap = (uint32_t)ncap;
	return true;
}
