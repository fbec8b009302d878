/*
 * names.c - numbers to names: record types, syscalls, arches, errnos.
 *
 * Uses libaudit's tables (the same ones auditd and ausearch use), so
 * names stay in step with the installed audit package.  Only the record
 * type lookup sits on the per-record path of log replay, so the common
 * names are matched first without a copy.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <libaudit.h>

#include "audit/audit.h"

static const struct {
	const char	*name;
	size_t		 len;
	int		 type;
} common_types[] = {
#define T(n, v) { n, sizeof(n) - 1, v }
	T("SYSCALL", AUD_T_SYSCALL),
	T("PATH", AUD_T_PATH),
	T("PROCTITLE", AUD_T_PROCTITLE),
	T("CWD", AUD_T_CWD),
	T("EXECVE", AUD_T_EXECVE),
	T("SOCKADDR", AUD_T_SOCKADDR),
	T("EOE", AUD_T_EOE),
	T("OBJ_PID", AUD_T_OBJ_PID),
	T("BPRM_FCAPS", AUD_T_BPRM_FCAPS),
#undef T
};

int
aud_type_from_name(const char *name, size_t len)
{
	char buf[64];
	size_t i;
	int t;

	for (i = 0; i < sizeof(common_types) / sizeof(common_types[0]); i++)
		if (common_types[i].len == len &&
		    memcmp(common_types[i].name, name, len) == 0)
			return common_types[i].type;
	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, name, len);
	buf[len] = '\0';
	t = audit_name_to_msg_type(buf);
	return t > 0 ? t : -1;
}

const char *
aud_type_name(int type, char *buf, size_t bufsz)
{
	const char *n;

	switch (type) {
	case AUD_T_SYSCALL:
		return "SYSCALL";
	case AUD_T_PATH:
		return "PATH";
	case AUD_T_PROCTITLE:
		return "PROCTITLE";
	case AUD_T_EOE:
		return "EOE";
	}
	n = audit_msg_type_to_name(type);
	if (n != NULL)
		return n;
	snprintf(buf, bufsz, "UNKNOWN[%d]", type);
	return buf;
}

const char *
aud_errno_name(int64_t exit)
{
	if (exit >= 0 || exit < -4095)
		return NULL;
	return audit_errno_to_name((int)-exit);
}

const char *
aud_arch_name(uint32_t arch)
{
	int machine = audit_elf_to_machine(arch);

	return machine < 0 ? NULL : audit_machine_to_name(machine);
}

const char *
aud_syscall_name(uint32_t arch, int nr)
{
	int machine = audit_elf_to_machine(arch);

	if (machine < 0 || nr < 0)
		return NULL;
	return audit_syscall_to_name(nr, machine);
}
