/*
 * out_program.c - the program channel: each message written, with a
 * newline, to the standard input of `/bin/sh -c PROGRAM`.
 *
 * Like Falco's popen(program, "w"), but spawned by hand so that the
 * child's pid and process group are known: a pipeline that hangs can be
 * killed as a whole, and waits are bounded.  Owns the child (pid, its
 * process group) and the write end of its stdin pipe.
 *
 * keep_alive: false (Falco's default): one child per message; the pipe is
 * closed after the line, the child waited for (at most timeout_ms, then
 * the group gets SIGKILL) and a non-zero exit counts as a failure.  This
 * is the mode for `jq '{text: .output}' | curl -d @- -X POST URL`: curl
 * posts when its input ends.  keep_alive: true: one child for all
 * messages.  If it died, it is respawned at the next message (a write
 * that hits EPIPE before any byte got through is retried once on the new
 * child); children that die within a second three times in a row are
 * respawned with a backoff (1 s doubling to 32 s; messages meanwhile
 * fail), so a broken command never turns into a fork loop.  A reopen
 * request (SIGUSR1/SIGHUP) closes the child's input and waits for it; the
 * next message starts a new one.
 *
 * Signals: the write end is non-blocking (a child that stops reading
 * times out instead of blocking the worker forever); EPIPE's SIGPIPE is
 * consumed by out_write_line() in this blocked-signals worker.  The child
 * gets an empty signal mask, default dispositions for the signals a
 * daemon commonly blocks or ignores, and its own process group.  Exit
 * statuses are read with waitpid(pid): the process must not reap every
 * child with waitpid(-1).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "outputs/out_int.h"

extern char **environ;

#define OUT_PROG_TIMEOUT_MS	10000
#define OUT_PROG_QUICK_NS	1000000000ull	/* died within: "quick" */
#define OUT_PROG_QUICK_MAX	3		/* quick deaths before backoff */
#define OUT_PROG_BACKOFF_MAX	5		/* 1 s << 5 = 32 s */

struct out_prog {
	char		*cmd;
	bool		 keep_alive;
	int		 timeout_ms;
	pid_t		 pid;		/* -1: none */
	bool		 reaped;	/* pid already waited for */
	int		 fd;		/* write end of its stdin, -1: none */
	uint64_t	 spawned_ns;
	unsigned	 quick_deaths;
	uint64_t	 hold_until_ns;	/* no respawn before (backoff) */
};

static int
spawn_attrs(posix_spawnattr_t *at)
{
	static const int dfl[] = { SIGPIPE, SIGCHLD, SIGHUP, SIGINT, SIGQUIT,
	    SIGTERM, SIGUSR1, SIGUSR2, SIGALRM };
	sigset_t none, def;

	sigemptyset(&none);
	sigemptyset(&def);
	for (size_t i = 0; i < sizeof(dfl) / sizeof(dfl[0]); i++)
		sigaddset(&def, dfl[i]);
	if (posix_spawnattr_init(at) != 0)
		return -1;
	posix_spawnattr_setsigmask(at, &none);
	posix_spawnattr_setsigdefault(at, &def);
	posix_spawnattr_setpgroup(at, 0);
	posix_spawnattr_setflags(at, POSIX_SPAWN_SETSIGMASK |
	    POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
	return 0;
}

static int
prog_spawn(struct out_chan *ch, struct out_prog *p)
{
	char *argv[] = { "sh", "-c", p->cmd, NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	int pfd[2], rc;

	if (pipe2(pfd, O_CLOEXEC) != 0) {
		out_chan_seterr(ch, "pipe: %s", strerror(errno));
		return -1;
	}
	if (spawn_attrs(&at) != 0 || posix_spawn_file_actions_init(&fa) != 0) {
		close(pfd[0]);
		close(pfd[1]);
		out_chan_seterr(ch, "spawn: out of memory");
		return -1;
	}
	posix_spawn_file_actions_adddup2(&fa, pfd[0], STDIN_FILENO);
	rc = posix_spawn(&p->pid, "/bin/sh", &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	close(pfd[0]);
	if (rc != 0) {
		close(pfd[1]);
		p->pid = -1;
		out_chan_seterr(ch, "spawn /bin/sh -c '%s': %s", p->cmd,
		    strerror(rc));
		return -1;
	}
	fcntl(pfd[1], F_SETFL, O_NONBLOCK);
	p->fd = pfd[1];
	p->spawned_ns = out_now_ns();
	return 0;
}

/* Wait for the child until end; 0 with *status, or -1 when still running. */
static int
wait_until(struct out_prog *p, uint64_t end, int *status)
{
	struct timespec nap = { 0, 10 * 1000000L };
	struct pollfd pfd = { .events = POLLIN };
	pid_t r;
	int ms;

	/* A pidfd turns the wait into one poll; without one, short naps. */
	pfd.fd = (int)syscall(SYS_pidfd_open, p->pid, 0);
	for (;;) {
		r = waitpid(p->pid, status, WNOHANG);
		if (r == p->pid || (r < 0 && errno != EINTR))
			break;	/* ECHILD: reaped elsewhere (SIGCHLD ignored) */
		uint64_t now = out_now_ns();
		if (now >= end) {
			if (pfd.fd >= 0)
				close(pfd.fd);
			return -1;
		}
		ms = (int)((end - now) / 1000000ull) + 1;
		if (pfd.fd >= 0)
			poll(&pfd, 1, ms);
		else
			nanosleep(&nap, NULL);
	}
	if (r < 0)
		*status = 0;
	if (pfd.fd >= 0)
		close(pfd.fd);
	return 0;
}

/*
 * Close the child's input and reap it: it gets timeout_ms (less at the
 * drain deadline) to finish, then its whole group is killed.  Returns the
 * wait status, or -1 when it had to be killed.
 */
static int
prog_finish(struct out_chan *ch, struct out_prog *p)
{
	uint64_t end = out_now_ns() + (uint64_t)p->timeout_ms * 1000000ull;
	int status = 0, rc;

	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
	if (p->pid <= 0)
		return 0;
	if (p->reaped) {
		p->pid = -1;
		p->reaped = false;
		return 0;
	}
	if (ch->stop && ch->deadline_ns < end)
		end = ch->deadline_ns;
	rc = wait_until(p, end, &status);
	if (rc != 0) {
		kill(-p->pid, SIGKILL);
		waitpid(p->pid, &status, 0);
		status = -1;
	}
	p->pid = -1;
	return status;
}

static const char *
status_str(int status, char *buf, size_t len)
{
	if (status == -1)
		snprintf(buf, len, "killed after the timeout");
	else if (WIFEXITED(status))
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by signal %d", WTERMSIG(status));
	else
		snprintf(buf, len, "ended (wait status %d)", status);
	return buf;
}

/* One child per message (keep_alive: false). */
static int
prog_write_once(struct out_chan *ch, struct out_prog *p, const char *b,
    size_t len)
{
	size_t done;
	char why[64];
	int rc, status;

	if (prog_spawn(ch, p) != 0)
		return -1;
	rc = out_write_line(ch, p->fd, b, len, p->timeout_ms, &done);
	status = prog_finish(ch, p);
	if (rc != 0) {
		out_chan_seterr(ch, "write to '%s': %s", p->cmd, strerror(-rc));
		return -1;
	}
	if (status != 0) {
		out_chan_seterr(ch, "'%s' %s", p->cmd,
		    status_str(status, why, sizeof(why)));
		return -1;
	}
	return 0;
}

/* The kept-alive child is gone: reap it, count it, maybe back off. */
static void
prog_died(struct out_chan *ch, struct out_prog *p)
{
	uint64_t now = out_now_ns();
	unsigned shift;

	prog_finish(ch, p);
	OUT_RELAXED_ADD(&ch->restarts, 1);
	if (now - p->spawned_ns >= OUT_PROG_QUICK_NS) {
		p->quick_deaths = 0;
		return;
	}
	if (++p->quick_deaths < OUT_PROG_QUICK_MAX)
		return;
	shift = p->quick_deaths - OUT_PROG_QUICK_MAX;
	if (shift > OUT_PROG_BACKOFF_MAX)
		shift = OUT_PROG_BACKOFF_MAX;
	p->hold_until_ns = now + (OUT_PROG_QUICK_NS << shift);
}

/* Is the kept-alive child still running?  A dead one is reaped here. */
static bool
prog_alive(struct out_prog *p)
{
	int status;
	pid_t r;

	if (p->pid <= 0)
		return false;
	r = waitpid(p->pid, &status, WNOHANG);
	if (r == 0)
		return true;
	if (r < 0 && errno == ECHILD)	/* SIGCHLD ignored: no zombies */
		return kill(p->pid, 0) == 0;
	p->reaped = true;
	return false;
}

static int
prog_ensure(struct out_chan *ch, struct out_prog *p)
{
	if (p->pid > 0 && !prog_alive(p))
		prog_died(ch, p);
	if (p->pid > 0)
		return 0;
	if (out_now_ns() < p->hold_until_ns) {
		out_chan_seterr(ch, "'%s' keeps dying, respawn delayed",
		    p->cmd);
		return -1;
	}
	return prog_spawn(ch, p);
}

/* The kept-alive child (keep_alive: true). */
static int
prog_write_kept(struct out_chan *ch, struct out_prog *p, const char *b,
    size_t len)
{
	size_t done = 0;
	int rc = -EPIPE;

	for (int attempt = 0; attempt < 2 && rc == -EPIPE && done == 0;
	    attempt++) {
		if (attempt > 0)
			prog_died(ch, p);
		if (prog_ensure(ch, p) != 0)
			return -1;
		rc = out_write_line(ch, p->fd, b, len, p->timeout_ms, &done);
	}
	if (rc == 0)
		return 0;
	out_chan_seterr(ch, "write to '%s': %s", p->cmd, strerror(-rc));
	/* Part of a line may be in the pipe: this child's stream is broken. */
	if (done > 0 || rc != -EPIPE) {
		kill(-p->pid, SIGKILL);
		prog_died(ch, p);
	}
	return -1;
}

static int
prog_write(struct out_chan *ch, const struct out_msg *m)
{
	struct out_prog *p = ch->priv;
	size_t len;
	const char *b = out_chan_body(ch, m, &len);

	if (p->keep_alive)
		return prog_write_kept(ch, p, b, len);
	return prog_write_once(ch, p, b, len);
}

static void
prog_reopen(struct out_chan *ch)
{
	prog_finish(ch, ch->priv);
}

static void
prog_fini(struct out_chan *ch)
{
	struct out_prog *p = ch->priv;

	if (p == NULL)
		return;
	prog_finish(ch, p);
	free(p->cmd);
	free(p);
	ch->priv = NULL;
}

static const struct out_chan_ops prog_ops = {
	.name = "program",
	.write = prog_write,
	.reopen = prog_reopen,
	.fini = prog_fini,
};

int
out_program_init(struct out_chan *ch, struct fc_conf *c)
{
	const char *cmd = conf_str(c, "program_output.program", "");
	struct out_prog *p;

	if (*cmd == '\0') {
		conf_error(c, "program_output.program",
		    "required when program_output.enabled is true");
		return -1;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->cmd = strdup(cmd)) == NULL) {
		free(p);
		return -1;
	}
	p->keep_alive = conf_bool(c, "program_output.keep_alive", false);
	p->timeout_ms = (int)conf_int(c, "program_output.timeout_ms", 100,
	    600000, OUT_PROG_TIMEOUT_MS);
	p->pid = -1;
	p->fd = -1;
	ch->ops = &prog_ops;
	ch->priv = p;
	return 0;
}
