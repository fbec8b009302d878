/*
 * fan_src.c - the fanotify source's lifecycle: options, the two groups,
 * the reader thread, fan_src_next() and the statistics.
 *
 * Owns: the group fds (closing them drops every mark, so a crash leaves
 * nothing behind), the /proc fd, the stop eventfd, the queue and what is
 * in it, copies of the watch paths.  Hands out: events, filled into the
 * caller's fc_event by fan_src_next() (the item is freed there).
 *
 * Groups (both FAN_CLASS_NOTIF, O_CLOEXEC, non-blocking):
 *   fd group   event_f_flags O_RDONLY|O_LARGEFILE|O_NONBLOCK (a FIFO or
 *              device node must not block the kernel's open of the event
 *              fd); FAN_REPORT_FD_ERROR when the kernel has it, so a
 *              failed fd shows in-band instead of failing read().
 *   FID group  FAN_REPORT_DFID_NAME (5.9+): directory handle + name for
 *              create/delete/moves; FAN_RENAME (5.17+) when present.
 * FAN_UNLIMITED_QUEUE only when asked: it trades counted overflows for
 * unbounded kernel memory.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/event.h"
#include "fanotify/fan_int.h"

#define RELAXED memory_order_relaxed
#define LOAD(s, f) atomic_load_explicit(&(s)->f, RELAXED)

void
fan_src_opts_default(struct fan_src_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->queue_events = 16384;
	o->queue_bytes = 32u << 20;
	o->batch = 64;
	o->write_window_ms = 1000;
	o->proc_cache_ms = 100;
}

/* ---- Watches ----------------------------------------------------------- */

static bool
pseudo_path(const char *p)
{
	static const char *const bad[] = { "/proc", "/sys", "/dev", NULL };
	const char *const *b;
	size_t n;

	for (b = bad; *b != NULL; b++) {
		n = strlen(*b);
		if (strncmp(p, *b, n) == 0 && (p[n] == '\0' || p[n] == '/'))
			return true;
	}
	return false;
}

int
fan_wrec_fill(struct fan_wrec *w, const struct fan_watch *in, char *err,
    size_t errlen)
{
	const char *p = in->path;
	struct stat st;
	size_t n;

	if (p == NULL || p[0] != '/' || pseudo_path(p) ||
	    strlen(p) >= PATH_MAX - 64) {
		snprintf(err, errlen, "fanotify: watch '%s': need an absolute "
		    "path outside /proc, /sys and /dev", p != NULL ? p : "(null)");
		return -EINVAL;
	}
	memset(w, 0, sizeof(*w));
	if ((w->path = strdup(p)) == NULL) {
		snprintf(err, errlen, "fanotify: out of memory");
		return -ENOMEM;
	}
	n = strlen(p);
	while (n > 1 && p[n - 1] == '/')
		n--;
	w->path[n] = '\0';
	w->len = n;
	w->ops = in->ops;
	/* Missing on the host (maybe present in containers): a directory. */
	w->is_dir = stat(p, &st) < 0 || S_ISDIR(st.st_mode);
	return 0;
}

/* Copy the watches, without trailing slashes; decide file or directory. */
static int
copy_watches(struct fan_src *s, const struct fan_src_opts *o, char *err,
    size_t errlen)
{
	size_t i;
	int r;

	if (o->nwatches > FAN_MAX_WATCHES) {
		snprintf(err, errlen, "fanotify: more than %d watches",
		    FAN_MAX_WATCHES);
		return -EINVAL;
	}
	for (i = 0; i < o->nwatches; i++) {
		if ((r = fan_wrec_fill(&s->ws[i], &o->watches[i], err,
		    errlen)) < 0)
			return r;
		s->nws++;
	}
	return 0;
}

/* ---- Groups ------------------------------------------------------------ */

static uint32_t
ops_union(const struct fan_src *s)
{
	uint32_t ops = s->opts.exec_all ? FAN_OP_EXEC : 0;
	size_t i;

	for (i = 0; i < s->nws; i++)
		ops |= s->ws[i].ops;
	return ops;
}

static int
open_groups(struct fan_src *s, char *err, size_t errlen)
{
	const struct fan_features *f = &s->feat;
	uint32_t ops = ops_union(s);
	unsigned common = FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK;
	int r;

	if (s->opts.unlimited_queue && (f->init & FAN_F_UNLIMITED_QUEUE))
		common |= FAN_UNLIMITED_QUEUE;
	if (ops & FAN_OP_READ)
		s->fd_mask |= FAN_OPEN;
	if (ops & FAN_OP_WRITE)
		s->fd_mask |= FAN_MODIFY;
	if (ops & FAN_OP_CLOSE_WRITE)
		s->fd_mask |= FAN_CLOSE_WRITE;
	if ((ops & FAN_OP_EXEC) && (f->marks & FAN_M_OPEN_EXEC))
		s->fd_mask |= FAN_OPEN_EXEC;
	s->use_fs_marks = (f->marks & FAN_M_FILESYSTEM) != 0;
	if (s->fd_mask != 0) {
		s->fd_grp = fanotify_init(common | ((f->init &
		    FAN_F_REPORT_FD_ERROR) ? FAN_REPORT_FD_ERROR : 0),
		    O_RDONLY | O_LARGEFILE | O_CLOEXEC | O_NONBLOCK);
		if (s->fd_grp < 0)
			goto fail;
	}
	if ((ops & FAN_OP_DIRENT) && (f->init & FAN_F_REPORT_NAME) &&
	    (f->marks & FAN_M_DIRENT)) {
		s->fid_mask = FAN_CREATE | FAN_DELETE | FAN_ONDIR |
		    ((f->marks & FAN_M_RENAME) ? FAN_RENAME :
		    FAN_MOVED_FROM | FAN_MOVED_TO);
		s->fid_grp = fanotify_init(common | FAN_REPORT_DIR_FID |
		    FAN_REPORT_NAME, O_RDONLY | O_CLOEXEC);
		if (s->fid_grp < 0)
			goto fail;
	}
	if (s->fd_grp < 0 && s->fid_grp < 0) {
		snprintf(err, errlen, "fanotify: nothing this kernel can watch "
		    "(no watches, or only features it lacks)");
		return -EOPNOTSUPP;
	}
	return 0;
fail:
	r = -errno;
	snprintf(err, errlen, "fanotify_init: %s", strerror(-r));
	return r;
}

/* ---- Open and close ---------------------------------------------------- */

static struct fan_src *
src_alloc(const struct fan_src_opts *o)
{
	struct fan_src *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->opts = *o;
	s->opts.watches = NULL;
	if (s->opts.batch == 0)
		s->opts.batch = 64;
	s->fd_grp = s->fid_grp = s->procfd = s->stopfd = -1;
	s->self = (int32_t)getpid();
	pthread_mutex_init(&s->mu, NULL);
	pthread_mutex_init(&s->mark_mu, NULL);
	pthread_rwlock_init(&s->ws_lock, NULL);
	s->rbufsz = 64 * 1024;
	if (s->opts.batch * sizeof(struct fanotify_event_metadata) > s->rbufsz)
		s->rbufsz = s->opts.batch * sizeof(struct fanotify_event_metadata);
	s->q = fan_queue_new(o->queue_events, o->queue_bytes);
	s->wdedup = fan_dedup_new(4096, o->write_window_ms);
	s->ib = malloc(sizeof(*s->ib));
	if ((s->pcache = calloc(1, sizeof(*s->pcache))) != NULL)
		s->pcache->ttl_ms = o->proc_cache_ms;
	s->rbuf = malloc(s->rbufsz);
	s->procfd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	s->stopfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (s->q == NULL || s->wdedup == NULL || s->ib == NULL ||
	    s->pcache == NULL ||
	    s->rbuf == NULL || s->procfd < 0 || s->stopfd < 0) {
		fan_src_close(s);
		return NULL;
	}
	return s;
}

struct fan_src *
fan_src_open(const struct fan_src_opts *o, char *err, size_t errlen)
{
	struct fan_src *s;
	int r;

	snprintf(err, errlen, "fanotify: out of memory");
	if ((s = src_alloc(o)) == NULL)
		return NULL;
	if (copy_watches(s, o, err, errlen) < 0)
		goto fail;
	if (s->nws == 0 && !o->exec_all) {
		snprintf(err, errlen, "fanotify: nothing to watch");
		goto fail;
	}
	if ((r = fan_probe(o->probe_tmpdir, &s->feat)) < 0) {
		snprintf(err, errlen, "fanotify: %s", strerror(-r));
		goto fail;
	}
	if (open_groups(s, err, errlen) < 0 || fan_mark_host(s, err, errlen) < 0)
		goto fail;
	if ((r = pthread_create(&s->thr, NULL, fan_reader_main, s)) != 0) {
		snprintf(err, errlen, "fanotify: thread: %s", strerror(r));
		goto fail;
	}
	s->started = true;
	return s;
fail:
	fan_src_close(s);
	return NULL;
}

void
fan_src_close(struct fan_src *s)
{
	uint64_t one = 1;
	size_t i;

	if (s == NULL)
		return;
	if (s->started) {
		(void)!write(s->stopfd, &one, sizeof(one));
		pthread_join(s->thr, NULL);
	}
	if (s->q != NULL)
		fan_queue_shutdown(s->q);
	if (s->fd_grp >= 0)
		close(s->fd_grp);
	if (s->fid_grp >= 0)
		close(s->fid_grp);
	fan_marks_free(s);
	if (s->procfd >= 0)
		close(s->procfd);
	if (s->stopfd >= 0)
		close(s->stopfd);
	for (i = 0; i < s->nws; i++)
		free(s->ws[i].path);
	fan_queue_free(s->q);
	fan_dedup_free(s->wdedup);
	free(s->ib);
	free(s->pcache);
	free(s->rbuf);
	pthread_mutex_destroy(&s->mu);
	pthread_mutex_destroy(&s->mark_mu);
	pthread_rwlock_destroy(&s->ws_lock);
	free(s);
}

const struct fan_features *
fan_src_features(const struct fan_src *s)
{
	return &s->feat;
}

/* ---- Consumer ---------------------------------------------------------- */

int
fan_src_next(struct fan_src *s, struct fc_event *ev, int timeout_ms)
{
	struct fan_item *it;
	bool shut;
	int r;

	fc_event_reset(ev);
	it = fan_queue_pop(s->q, timeout_ms, s->opts.hold_ms, &shut);
	if (it == NULL)
		return shut ? -ESHUTDOWN : 0;
	r = fan_item_to_event(it, ev);
	free(it);
	atomic_fetch_add_explicit(&s->popped, 1, RELAXED);
	return r < 0 ? r : 1;
}

void
fan_src_stats(struct fan_src *s, struct fan_src_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->read_events = LOAD(s, read_events);
	st->overflows = LOAD(s, overflows);
	st->queued = LOAD(s, queued);
	st->popped = LOAD(s, popped);
	st->queue_drops = LOAD(s, queue_drops);
	st->self = LOAD(s, self_ev);
	st->filtered = LOAD(s, filtered);
	st->coalesced = LOAD(s, coalesced);
	st->interp = LOAD(s, interp_ev);
	st->fd_errors = LOAD(s, fd_errors);
	st->resolve_errors = LOAD(s, resolve_errors);
	st->proc_gone = LOAD(s, proc_gone);
	st->read_errors = LOAD(s, read_errors);
	st->fds_open = LOAD(s, fds_open);
	st->reader_cpu_ns = LOAD(s, reader_cpu_ns);
	fan_queue_depth(s->q, &st->queue_depth, &st->queue_high);
	st->marks = LOAD(s, marks);
	st->mark_errors = LOAD(s, mark_errors);
	st->roots = LOAD(s, nroots);
	st->fd_group = s->fd_grp >= 0;
	st->fid_group = s->fid_grp >= 0;
	st->exec = (s->fd_mask & FAN_OPEN_EXEC) != 0;
	st->rename = (s->fid_mask & FAN_RENAME) != 0;
}
