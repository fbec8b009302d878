/*
 * check_auparse_counts.c - falconet groups records into events as
 * libauparse does.
 *
 * For every log in ../shared/corpus (gzip'd ones are unpacked into a
 * temporary file first) and in the third-party corpus (audit-userspace's
 * auparse-test, go-libaudit's auparse and reassembler logs, laurel's
 * record-*.txt), the records and events libauparse counts
 * (auparse_next_event / auparse_get_num_records) are compared with what
 * falconet's parser and correlator make of the same lines, fed as
 * `falconet replay` feeds them.  Where the two differ on purpose the
 * difference is in the table below and explained in docs/compat.md
 * ("libauparse"); any other difference fails.
 *
 * Only this test links libauparse: falconet itself never does.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <auparse.h>

#include "check_main.h"
#include "golden_util.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define MAX_LOGS	128

/* The capture described in ../shared/corpus/README.md. */
#define CORPUS_LOG	"corpus/workload-enriched.log.gz"
#define CORPUS_RECORDS	138778
#define CORPUS_EVENTS	33448

/* Where libauparse and falconet disagree on purpose: libauparse minus falconet. */
static const struct known_diff {
	const char	*suffix;	/* end of the log's path */
	int		 records, events;
	const char	*why;		/* docs/compat.md "libauparse" */
} known_diffs[] = {
	/* #1: LOGIN + SYSCALL + PROCTITLE of serial 296 are one kernel event. */
	{ "audit-userspace/auparse-test/test.log", 0, 1, "#1" },
	{ "audit-userspace/auparse-test/test2.log", 0, 1, "#1" },
	{ "laurel/testdata/record-login.txt", 0, 1, "#1" },
	/* #2: DAEMON_CONFIG "audit(...) config changed" (no ':') refused;
	 * #3: NETFILTER_CFG and SYSCALL of serial 17, 9 lines apart in a
	 * file sorted by type, stay one event. */
	{ "go-libaudit/auparse/audit-rhel7.log", 1, 2, "#2, #3" },
	/* #4: PROCTITLE, PATH, SYSCALL, EOE of serial 225: one event. */
	{ "laurel/testdata/record-syscall-nullkey.txt", 0, 1, "#4" },
};

/* Logs found when the suite was built; the loop test indexes them. */
static char *logs[MAX_LOGS];
static int nlogs;

struct counts {
	long		 records, events;
};

static const struct known_diff *
known_diff(const char *path)
{
	size_t i, n = strlen(path), k;

	for (i = 0; i < NELEM(known_diffs); i++) {
		k = strlen(known_diffs[i].suffix);
		if (n >= k && strcmp(path + n - k, known_diffs[i].suffix) == 0)
			return &known_diffs[i];
	}
	return NULL;
}

static bool
is_gzip(const char *path)
{
	size_t n = strlen(path);

	return n > 3 && strcmp(path + n - 3, ".gz") == 0;
}

/* Unpack a .gz into a new temporary file; its path in tmp (>= 64 bytes). */
static void
gunzip_to_temp(const char *path, char *tmp, size_t tmpsz)
{
	const char *dir = getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp";
	int fd, status;
	pid_t pid;

	snprintf(tmp, tmpsz, "%s/falconet-counts-XXXXXX", dir);
	fd = mkstemp(tmp);
	ck_assert_msg(fd >= 0, "mkstemp %s: %s", tmp, strerror(errno));
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (dup2(fd, STDOUT_FILENO) < 0)
			_exit(127);
		execlp("gzip", "gzip", "-dc", path, (char *)NULL);
		_exit(127);
	}
	close(fd);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "gzip -dc %s failed", path);
}

static struct counts
auparse_counts(const char *path)
{
	auparse_state_t *au = auparse_init(AUSOURCE_FILE, path);
	struct counts c = { 0, 0 };

	ck_assert_msg(au != NULL, "auparse_init %s: %s", path, strerror(errno));
	while (auparse_next_event(au) > 0) {
		c.events++;
		c.records += auparse_get_num_records(au);
	}
	auparse_destroy(au);
	return c;
}

/*
 * falconet's counts.  An EOE that comes after its event was already
 * completed by PROCTITLE is absorbed (late_eoe): it is in no event, and
 * libauparse drops it too, so it is not counted as a record of an event.
 */
static struct counts
falconet_counts(const char *path)
{
	struct gu_counts gc;
	struct counts c;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	ck_assert_msg(fd >= 0, "open %s: %s", path, strerror(errno));
	ck_assert_int_eq(gu_replay_fd_counts(fd, &gc), 0);
	close(fd);
	c.records = (long)(gc.records - gc.late_eoe - gc.dropped);
	c.events = (long)gc.events;
	return c;
}

START_TEST(test_counts)
{
	const char *path = logs[_i], *file = path;
	const struct known_diff *kd = known_diff(path);
	struct counts a, f;
	char tmp[4096];

	if (is_gzip(path)) {
		gunzip_to_temp(path, tmp, sizeof(tmp));
		file = tmp;
	}
	a = auparse_counts(file);
	f = falconet_counts(file);
	if (file != path)
		unlink(tmp);
	ck_assert_msg(a.records > 0, "%s: libauparse read no record", path);
	ck_assert_msg(f.records + (kd != NULL ? kd->records : 0) == a.records,
	    "%s: records: libauparse %ld, falconet %ld (known difference %d)",
	    path, a.records, f.records, kd != NULL ? kd->records : 0);
	ck_assert_msg(f.events + (kd != NULL ? kd->events : 0) == a.events,
	    "%s: events: libauparse %ld, falconet %ld (known difference %d)",
	    path, a.events, f.events, kd != NULL ? kd->events : 0);
	if (strstr(path, CORPUS_LOG) != NULL) {
		ck_assert_int_eq(f.records, CORPUS_RECORDS);
		ck_assert_int_eq(f.events, CORPUS_EVENTS);
	}
}
END_TEST

/* The capture is there, so the loop above did compare it. */
START_TEST(test_corpus_present)
{
	char *path = gu_shared_path(CORPUS_LOG);
	int i;
	bool found = false;

	ck_assert_ptr_nonnull(path);
	ck_assert_msg(access(path, R_OK) == 0, "%s: %s", path, strerror(errno));
	for (i = 0; i < nlogs; i++)
		found = found || strcmp(logs[i], path) == 0;
	ck_assert_msg(found, "%s not among the compared logs", path);
	free(path);
}
END_TEST

/* Every known difference names a log that is compared. */
START_TEST(test_known_diffs_used)
{
	size_t i;
	int k;
	bool used;

	for (i = 0; i < NELEM(known_diffs); i++) {
		for (k = 0, used = false; k < nlogs && !used; k++)
			used = known_diff(logs[k]) == &known_diffs[i];
		ck_assert_msg(used, "known difference for %s: no such log",
		    known_diffs[i].suffix);
	}
}
END_TEST

static void
add_logs(const char *rel_pattern)
{
	char *pattern = gu_shared_path(rel_pattern);
	glob_t g;
	size_t i;

	if (pattern == NULL)
		return;
	if (glob(pattern, 0, NULL, &g) == 0) {
		for (i = 0; i < g.gl_pathc && nlogs < MAX_LOGS; i++)
			logs[nlogs++] = strdup(g.gl_pathv[i]);
		globfree(&g);
	}
	free(pattern);
}

Suite *
suite_for_main(void)
{
	Suite *s = suite_create("libauparse counts");
	TCase *tc = tcase_create("counts");

	add_logs("corpus/*.log.gz");
	add_logs("corpus/*.log");
	add_logs("thirdparty/audit-corpus/audit-userspace/auparse-test/*.log");
	add_logs("thirdparty/audit-corpus/go-libaudit/auparse/*.log");
	add_logs("thirdparty/audit-corpus/go-libaudit/reassembler/*.log");
	add_logs("thirdparty/audit-corpus/laurel/testdata/record-*.txt");
	/* The 32 MB capture takes a few seconds, more under sanitizers. */
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_corpus_present);
	tcase_add_test(tc, test_known_diffs_used);
	tcase_add_loop_test(tc, test_counts, 0, nlogs);
	suite_add_tcase(s, tc);
	return s;
}
