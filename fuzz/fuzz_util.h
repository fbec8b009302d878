/*
 * fuzz_util.h - what the rules and configuration fuzz targets share: a
 * few fixed events built once from realistic audit lines (an execve, an
 * openat, a connect), and a per-process temporary directory for the
 * files an API only takes by path (the input, passwd and group).
 *
 * Header-only: each target is one translation unit built straight from
 * the library sources (Makefile.am, block "fuzzing").  Everything here is
 * set up once per process and kept, so it never shows as a per-input
 * leak; the directory and its files are removed at exit.
 */
#ifndef FC_FUZZ_UTIL_H
#define FC_FUZZ_UTIL_H

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "core/event.h"

#define FUZZ_HDR(t, s)	"type=" t " msg=audit(" s "): "

/* Each event is the lines of one audit event, '\n' after each. */
static const char *const fuzz_event_text[] = {
	/* bash runs `cat /etc/shadow` as root from a terminal. */
	FUZZ_HDR("SYSCALL", "1700000000.123:100") "arch=c000003e syscall=59 "
	"success=yes exit=0 a0=55d0c a1=55d0d a2=55d0e a3=0 items=2 "
	"ppid=1000 pid=1234 auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 "
	"egid=0 sgid=0 fsgid=0 tty=pts0 ses=3 comm=\"cat\" "
	"exe=\"/usr/bin/cat\" key=\"exec\"\n"
	FUZZ_HDR("EXECVE", "1700000000.123:100") "argc=3 a0=\"cat\" "
	"a1=\"-n\" a2=\"/etc/shadow\"\n"
	FUZZ_HDR("CWD", "1700000000.123:100") "cwd=\"/home/alice\"\n"
	FUZZ_HDR("PATH", "1700000000.123:100") "item=0 "
	"name=\"/usr/bin/cat\" inode=1234567 dev=08:01 mode=0100755 ouid=0 "
	"ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 "
	"cap_fver=0\n"
	FUZZ_HDR("PATH", "1700000000.123:100") "item=1 "
	"name=\"/lib64/ld-linux-x86-64.so.2\" inode=777 dev=08:01 "
	"mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 "
	"cap_fi=0 cap_fe=0 cap_fver=0\n"
	FUZZ_HDR("PROCTITLE", "1700000000.123:100")
	"proctitle=636174002D6E002F6574632F736861646F77\n",

	/* python3 opens /etc/shadow read-only, relative to /etc. */
	FUZZ_HDR("SYSCALL", "1700000001.500:101") "arch=c000003e syscall=257 "
	"success=yes exit=3 a0=ffffff9c a1=7ffd a2=0 a3=0 items=1 ppid=1234 "
	"pid=1300 auid=1000 uid=33 gid=33 euid=33 suid=33 fsuid=33 egid=33 "
	"sgid=33 fsgid=33 tty=(none) ses=4294967295 comm=\"python3\" "
	"exe=\"/usr/bin/python3.11\" key=(null)\n"
	FUZZ_HDR("CWD", "1700000001.500:101") "cwd=\"/etc\"\n"
	FUZZ_HDR("PATH", "1700000001.500:101") "item=0 name=\"shadow\" "
	"inode=9 dev=08:01 mode=0100640 ouid=0 ogid=42 rdev=00:00 "
	"nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0\n"
	FUZZ_HDR("PROCTITLE", "1700000001.500:101")
	"proctitle=707974686F6E33002D63007072696E742831290A\n",

	/* curl connects to 10.1.2.3:443 (in progress). */
	FUZZ_HDR("SYSCALL", "1700000002.800:102") "arch=c000003e syscall=42 "
	"success=no exit=-115 a0=3 a1=7ffc a2=10 a3=0 items=0 ppid=1 "
	"pid=1306 auid=1000 uid=1000 gid=1000 euid=1000 suid=1000 "
	"fsuid=1000 egid=1000 sgid=1000 fsgid=1000 tty=pts0 ses=3 "
	"comm=\"curl\" exe=\"/usr/bin/curl\" key=(null)\n"
	FUZZ_HDR("SOCKADDR", "1700000002.800:102")
	"saddr=020001BB0A0102030000000000000000\n",
};

#define FUZZ_NEVENTS	(sizeof(fuzz_event_text) / sizeof(fuzz_event_text[0]))

/* Build the fixed events; a line that does not parse is a broken target. */
static inline void
fuzz_events_build(struct fc_event *evs)
{
	struct aud_record rec;
	const char *p, *nl;
	size_t i;

	for (i = 0; i < FUZZ_NEVENTS; i++) {
		fc_event_init(&evs[i]);
		for (p = fuzz_event_text[i]; *p != '\0'; p = nl + 1) {
			nl = strchr(p, '\n');
			if (aud_rec_parse_line(p, (size_t)(nl - p), &rec) !=
			    AUD_REC_OK)
				abort();
			aud_event_add_record(&evs[i], &rec);
		}
		aud_event_finish(&evs[i]);
		evs[i].ev_num = i + 1;
	}
}

/* ---- Temporary files ---------------------------------------------------- */

#define FUZZ_MAX_TMPFILES	8

static char fuzz_dir[PATH_MAX];
static char fuzz_files[FUZZ_MAX_TMPFILES][PATH_MAX];
static size_t fuzz_nfiles;

static inline void
fuzz_tmp_cleanup(void)
{
	size_t i;

	for (i = 0; i < fuzz_nfiles; i++)
		unlink(fuzz_files[i]);
	if (fuzz_dir[0] != '\0')
		rmdir(fuzz_dir);
}

/* The directory, made on first use and removed at exit: in $TMPDIR, or
 * else in /dev/shm when there is one (the input is rewritten for every
 * run, and a disk file system makes that most of the cost), or /tmp. */
static inline const char *
fuzz_tmpdir(void)
{
	const char *t = getenv("TMPDIR");

	if (fuzz_dir[0] != '\0')
		return fuzz_dir;
	if (t == NULL || *t == '\0')
		t = access("/dev/shm", W_OK | X_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(fuzz_dir, sizeof(fuzz_dir), "%s/falconet-fuzz.XXXXXX", t);
	if (mkdtemp(fuzz_dir) == NULL)
		abort();
	atexit(fuzz_tmp_cleanup);
	return fuzz_dir;
}

/*
 * (Re)write file name in the directory with (p, len); returns its path,
 * static storage that stays the same for the same name.
 */
static inline const char *
fuzz_tmpfile(const char *name, const void *p, size_t len)
{
	char path[PATH_MAX];
	size_t i;
	ssize_t w;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", fuzz_tmpdir(), name);
	for (i = 0; i < fuzz_nfiles; i++)
		if (strcmp(fuzz_files[i], path) == 0)
			break;
	if (i == fuzz_nfiles) {
		if (fuzz_nfiles == FUZZ_MAX_TMPFILES)
			abort();
		memcpy(fuzz_files[fuzz_nfiles++], path, sizeof(path));
	}
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) < 0)
		abort();
	while (len > 0) {
		if ((w = write(fd, p, len)) <= 0)
			abort();
		p = (const char *)p + w;
		len -= (size_t)w;
	}
	close(fd);
	return fuzz_files[i];
}

#endif
