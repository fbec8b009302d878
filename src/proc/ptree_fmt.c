/*
 * ptree_fmt.c - the text forms the rule fields need from an entry:
 * proc.args, proc.args[N], proc.cmdline, thread.cap_* and proc.duration,
 * rendered as libsinsp renders them.  Pure functions; own nothing.
 */
#include "config.h"

#include <string.h>

#include "proc/proc.h"

/* libsinsp's capability names, indexed by bit (sinsp_utils::caps_to_string). */
static const char *const cap_names[PTREE_CAP_LAST + 1] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
	"CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP",
	"CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
	"CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
	"CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
	"CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
	"CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD",
	"CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
	"CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
	"CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
};

const char *
ptree_cap_name(unsigned i)
{
	return i <= PTREE_CAP_LAST ? cap_names[i] : NULL;
}

/* Names of the set bits 0..40, space-separated; higher bits have no name. */
void
ptree_caps_render(uint64_t caps, struct fc_buf *b)
{
	bool first = true;
	unsigned i;

	for (i = 0; i <= PTREE_CAP_LAST; i++) {
		if (!(caps & (1ull << i)))
			continue;
		if (!first)
			fc_buf_addc(b, ' ');
		fc_buf_adds(b, cap_names[i]);
		first = false;
	}
}

/* Each argument, with sep before all but the first (or before all). */
static void
args_out(const struct ptree_proc *p, struct fc_buf *b, bool lead)
{
	const char *q, *end, *nul;
	uint32_t i;

	if (p->pr_args.p == NULL)
		return;
	q = p->pr_args.p;
	end = q + p->pr_args.len;
	for (i = 0; i < p->pr_nargs; i++) {
		if ((nul = memchr(q, '\0', (size_t)(end - q))) == NULL)
			nul = end;
		if (lead || i > 0)
			fc_buf_addc(b, ' ');
		fc_buf_add(b, q, (size_t)(nul - q));
		if (nul == end)
			break;
		q = nul + 1;
	}
}

void
ptree_proc_args(const struct ptree_proc *p, struct fc_buf *b)
{
	args_out(p, b, false);
}

void
ptree_proc_cmdline(const struct ptree_proc *p, struct fc_buf *b)
{
	fc_buf_adds(b, p->pr_comm);
	args_out(p, b, true);
}

bool
ptree_proc_arg(const struct ptree_proc *p, unsigned i, struct fc_str *out)
{
	const char *q, *end, *nul;
	unsigned k;

	if (p->pr_args.p == NULL || i >= p->pr_nargs)
		return false;
	q = p->pr_args.p;
	end = q + p->pr_args.len;
	for (k = 0;; k++) {
		if ((nul = memchr(q, '\0', (size_t)(end - q))) == NULL)
			nul = end;
		if (k == i) {
			*out = (struct fc_str){ q, (uint32_t)(nul - q) };
			return true;
		}
		if (nul == end)
			return false;
		q = nul + 1;
	}
}

bool
ptree_proc_duration(const struct ptree_proc *p, uint64_t ts_ns,
    int64_t *out)
{
	if (p->pr_start_ns == 0 || (p->pr_flags & PTREE_F_NOFORK))
		return false;
	/* An audit time (ms, coarse clock) may fall just before the fork. */
	*out = ts_ns > p->pr_start_ns ? (int64_t)(ts_ns - p->pr_start_ns) : 0;
	return true;
}
