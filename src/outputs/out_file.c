/*
 * out_file.c - the file channel: each message appended as one line.
 *
 * Owns the file's fd.  keep_alive: false (Falco's default) opens, appends
 * and closes for every message, so a rotated file is left at once;
 * keep_alive: true keeps the fd open until a reopen request (SIGUSR1 or
 * SIGHUP via out_set_reopen: logrotate's "mv, then signal"), after which
 * the next message creates the file again.  O_APPEND makes each line's
 * single write land whole at the end even with other writers.  A file
 * that cannot be opened fails that message (counted, and the monitor
 * raises an alert); the next message tries again.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "outputs/out_int.h"

/* New files: owner read-write, group read (alerts can be sensitive). */
#define OUT_FILE_MODE	0640

struct out_file {
	char	*path;
	bool	 keep_alive;
	int	 fd;
};

static int
file_open(struct out_chan *ch, struct out_file *f)
{
	if (f->fd >= 0)
		return 0;
	f->fd = open(f->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
	    O_NOCTTY, OUT_FILE_MODE);
	if (f->fd < 0) {
		out_chan_seterr(ch, "open %s: %s", f->path, strerror(errno));
		return -1;
	}
	return 0;
}

static void
file_close(struct out_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
}

static int
file_write(struct out_chan *ch, const struct out_msg *m)
{
	struct out_file *f = ch->priv;
	size_t len, done;
	const char *p = out_chan_body(ch, m, &len);
	int rc;

	if (file_open(ch, f) != 0)
		return -1;
	rc = out_write_line(ch, f->fd, p, len, -1, &done);
	if (rc != 0) {
		out_chan_seterr(ch, "write %s: %s", f->path, strerror(-rc));
		/* A broken fd (ENOSPC, EIO, a remounted fs): start afresh. */
		file_close(f);
		return -1;
	}
	if (!f->keep_alive)
		file_close(f);
	return 0;
}

static void
file_reopen(struct out_chan *ch)
{
	file_close(ch->priv);
}

static void
file_fini(struct out_chan *ch)
{
	struct out_file *f = ch->priv;

	if (f == NULL)
		return;
	file_close(f);
	free(f->path);
	free(f);
	ch->priv = NULL;
}

static const struct out_chan_ops file_ops = {
	.name = "file",
	.write = file_write,
	.reopen = file_reopen,
	.fini = file_fini,
};

int
out_file_init(struct out_chan *ch, struct fc_conf *c)
{
	const char *path = conf_str(c, "file_output.filename", "./events.txt");
	struct out_file *f;

	if (*path == '\0') {
		conf_error(c, "file_output.filename",
		    "required when file_output.enabled is true");
		return -1;
	}
	if ((f = calloc(1, sizeof(*f))) == NULL ||
	    (f->path = strdup(path)) == NULL) {
		free(f);
		return -1;
	}
	f->keep_alive = conf_bool(c, "file_output.keep_alive", false);
	f->fd = -1;
	ch->ops = &file_ops;
	ch->priv = f;
	return 0;
}
