/*
 * check_logread.c - the log line reader: lines across read blocks, a last
 * line without newline, over-long lines (AUD_LINE_MAX), pipes with short
 * reads, read errors; and a log read end to end into the correlator.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "audit/audit.h"
#include "check_main.h"

/* A file descriptor reading back len bytes of data (an unlinked temp file). */
static int
file_with(const char *data, size_t len)
{
	char path[] = "/tmp/check_logread.XXXXXX";
	int fd = mkstemp(path);
	size_t off = 0;
	ssize_t n;

	ck_assert_int_ge(fd, 0);
	unlink(path);
	while (off < len) {
		n = write(fd, data + off, len - off);
		ck_assert_int_gt(n, 0);
		off += (size_t)n;
	}
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

/* The next line must be want (and fit, unless too_long is expected). */
static void
expect_line(struct aud_logread *r, const char *want, bool want_too_long)
{
	const char *line;
	size_t len;
	bool too_long = !want_too_long;

	ck_assert_int_eq(aud_logread_next(r, &line, &len, &too_long), 1);
	ck_assert_msg(len == strlen(want) && memcmp(line, want, len) == 0,
	    "got \"%.*s\", want \"%s\"", (int)(len < 80 ? len : 80), line,
	    want);
	ck_assert(too_long == want_too_long);
}

static void
expect_eof(struct aud_logread *r)
{
	const char *line;
	size_t len;
	bool too_long;

	ck_assert_int_eq(aud_logread_next(r, &line, &len, &too_long), 0);
	ck_assert_int_eq(aud_logread_next(r, &line, &len, &too_long), 0);
}

START_TEST(test_lines)
{
	static const char data[] = "a\nbb\n\n  ccc \r\nlast";
	int fd = file_with(data, sizeof(data) - 1);
	struct aud_logread *r = aud_logread_new(fd);

	ck_assert_ptr_nonnull(r);
	expect_line(r, "a", false);
	expect_line(r, "bb", false);
	expect_line(r, "", false);
	/* The reader keeps the \r; the record parser drops it. */
	expect_line(r, "  ccc \r", false);
	/* The last line has no newline: still a line. */
	expect_line(r, "last", false);
	expect_eof(r);
	aud_logread_free(r);
	close(fd);
}
END_TEST

START_TEST(test_empty_input)
{
	int fd = file_with("", 0);
	struct aud_logread *r = aud_logread_new(fd);

	expect_eof(r);
	aud_logread_free(r);
	close(fd);

	fd = file_with("\n", 1);
	r = aud_logread_new(fd);
	expect_line(r, "", false);
	expect_eof(r);
	aud_logread_free(r);
	close(fd);
	aud_logread_free(NULL);
}
END_TEST

START_TEST(test_many_lines)
{
	/* Lines of every length 0..999, over several 1 MiB read blocks. */
	const int nlines = 6000;
	size_t cap = (size_t)nlines * 1010, len = 0;
	char *data = malloc(cap), want[1100];
	struct aud_logread *r;
	int fd, i;

	ck_assert_ptr_nonnull(data);
	for (i = 0; i < nlines; i++) {
		int n = snprintf(data + len, 32, "%d:", i);
		int pad = (i * 7919) % 1000;
		memset(data + len + n, 'a' + i % 26, (size_t)pad);
		len += (size_t)(n + pad);
		data[len++] = '\n';
	}
	fd = file_with(data, len);
	r = aud_logread_new(fd);
	for (i = 0; i < nlines; i++) {
		int n = snprintf(want, sizeof(want), "%d:", i);
		int pad = (i * 7919) % 1000;
		memset(want + n, 'a' + i % 26, (size_t)pad);
		want[n + pad] = '\0';
		expect_line(r, want, false);
	}
	expect_eof(r);
	aud_logread_free(r);
	close(fd);
	free(data);
}
END_TEST

/* A line of n bytes of c, then the text tail. */
static char *
long_line(size_t n, char c, const char *tail, size_t *len)
{
	size_t tlen = strlen(tail);
	char *data = malloc(n + tlen);

	ck_assert_ptr_nonnull(data);
	memset(data, c, n);
	memcpy(data + n, tail, tlen);
	*len = n + tlen;
	return data;
}

START_TEST(test_too_long)
{
	size_t len, llen;
	char *data = long_line(AUD_LINE_MAX + 100, 'x', "\nnext line\n", &len);
	int fd = file_with(data, len);
	struct aud_logread *r = aud_logread_new(fd);
	const char *line;
	bool too_long = false;

	/* Cut at the cap and flagged; the rest of it is skipped. */
	ck_assert_int_eq(aud_logread_next(r, &line, &llen, &too_long), 1);
	ck_assert(too_long);
	ck_assert_uint_eq(llen, AUD_LINE_MAX);
	ck_assert_int_eq(line[0], 'x');
	ck_assert_int_eq(line[AUD_LINE_MAX - 1], 'x');
	expect_line(r, "next line", false);
	expect_eof(r);
	aud_logread_free(r);
	close(fd);
	free(data);
}
END_TEST

START_TEST(test_too_long_many)
{
	/* Over-long lines in a row, one far past the cap, then normal ones. */
	const size_t big = 3 * (size_t)AUD_LINE_MAX + 12345;
	size_t len = 0, llen;
	char *data = malloc(big + AUD_LINE_MAX + 64);
	struct aud_logread *r;
	const char *line;
	bool too_long;
	int fd;

	ck_assert_ptr_nonnull(data);
	memcpy(data, "one\n", 4);
	len = 4;
	memset(data + len, 'y', big);
	len += big;
	data[len++] = '\n';
	memset(data + len, 'z', AUD_LINE_MAX + 1);
	len += AUD_LINE_MAX + 1;
	memcpy(data + len, "\ntwo\nthree", 10);
	len += 10;
	fd = file_with(data, len);
	r = aud_logread_new(fd);
	expect_line(r, "one", false);
	ck_assert_int_eq(aud_logread_next(r, &line, &llen, &too_long), 1);
	ck_assert(too_long);
	ck_assert_uint_eq(llen, AUD_LINE_MAX);
	ck_assert_int_eq(line[llen - 1], 'y');
	ck_assert_int_eq(aud_logread_next(r, &line, &llen, &too_long), 1);
	ck_assert(too_long);
	ck_assert_uint_eq(llen, AUD_LINE_MAX);
	ck_assert_int_eq(line[0], 'z');
	expect_line(r, "two", false);
	expect_line(r, "three", false);
	expect_eof(r);
	aud_logread_free(r);
	close(fd);
	free(data);
}
END_TEST

START_TEST(test_exactly_max)
{
	/* A line of exactly AUD_LINE_MAX bytes is not too long. */
	size_t len, llen;
	char *data = long_line(AUD_LINE_MAX, 'm', "\nafter\n", &len);
	int fd = file_with(data, len);
	struct aud_logread *r = aud_logread_new(fd);
	const char *line;
	bool too_long = true;

	ck_assert_int_eq(aud_logread_next(r, &line, &llen, &too_long), 1);
	ck_assert(!too_long);
	ck_assert_uint_eq(llen, AUD_LINE_MAX);
	ck_assert_int_eq(line[llen - 1], 'm');
	expect_line(r, "after", false);
	expect_eof(r);
	aud_logread_free(r);
	close(fd);
	free(data);
}
END_TEST

START_TEST(test_too_long_at_eof)
{
	/* An over-long last line without newline: cut, then the end. */
	size_t len, llen;
	char *data = long_line(AUD_LINE_MAX + 10, 'e', "", &len);
	int fd = file_with(data, len);
	struct aud_logread *r = aud_logread_new(fd);
	const char *line;
	bool too_long = false;

	ck_assert_int_eq(aud_logread_next(r, &line, &llen, &too_long), 1);
	ck_assert(too_long);
	ck_assert_uint_eq(llen, AUD_LINE_MAX);
	expect_eof(r);
	aud_logread_free(r);
	close(fd);
	free(data);
}
END_TEST

/* Child side of a pipe: write data in pieces of 1..max bytes, then exit. */
static pid_t
pipe_writer(const char *data, size_t len, size_t max, int *rfd)
{
	int p[2];
	pid_t pid;

	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		size_t off = 0, step = 1;
		close(p[0]);
		while (off < len) {
			size_t n = step < len - off ? step : len - off;
			ssize_t w = write(p[1], data + off, n);
			if (w <= 0)
				_exit(1);
			off += (size_t)w;
			step = step % max + 1;
		}
		_exit(0);
	}
	close(p[1]);
	*rfd = p[0];
	return pid;
}

static void
reap(pid_t pid)
{
	int status;

	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

START_TEST(test_pipe)
{
	/* Audit lines dribbled through a pipe in pieces of 1..13 bytes. */
	char *data = malloc(2000 * 64), want[64];
	size_t len = 0;
	struct aud_logread *r;
	struct aud_record rec;
	const char *line;
	size_t llen;
	bool too_long;
	int fd, i, n = 0;
	pid_t pid;

	ck_assert_ptr_nonnull(data);
	for (i = 0; i < 2000; i++)
		len += (size_t)sprintf(data + len,
		    "type=CWD msg=audit(1.000:%d): cwd=\"/%d\"\n", i, i);
	memcpy(data + len, "type=EOE msg=audit(1.000:1):", 28);
	len += 28;	/* and no newline at the end */
	pid = pipe_writer(data, len, 13, &fd);
	r = aud_logread_new(fd);
	while (aud_logread_next(r, &line, &llen, &too_long) == 1) {
		ck_assert(!too_long);
		ck_assert_int_eq(aud_rec_parse_line(line, llen, &rec),
		    AUD_REC_OK);
		if (n < 2000) {
			ck_assert_int_eq(rec.type, AUD_T_CWD);
			ck_assert_uint_eq(rec.serial, (uint32_t)n);
			snprintf(want, sizeof(want), "cwd=\"/%d\"", n);
			ck_assert_uint_eq(rec.bodylen, strlen(want));
			ck_assert(memcmp(rec.body, want, rec.bodylen) == 0);
		} else {
			ck_assert_int_eq(rec.type, AUD_T_EOE);
		}
		n++;
	}
	ck_assert_int_eq(n, 2001);
	expect_eof(r);
	aud_logread_free(r);
	close(fd);
	reap(pid);
	free(data);
}
END_TEST

START_TEST(test_pipe_long_lines)
{
	/* A 3 MiB line (past one read block) and an over-long line, by pipe. */
	const size_t l1 = 3u << 20, l2 = AUD_LINE_MAX + 4096;
	char *data = malloc(l1 + l2 + 16);
	size_t len = 0, llen;
	struct aud_logread *r;
	const char *line;
	bool too_long;
	int fd;
	pid_t pid;

	ck_assert_ptr_nonnull(data);
	memset(data, 'p', l1);
	len = l1;
	data[len++] = '\n';
	memset(data + len, 'q', l2);
	len += l2;
	memcpy(data + len, "\nend\n", 5);
	len += 5;
	pid = pipe_writer(data, len, 70000, &fd);
	r = aud_logread_new(fd);
	ck_assert_int_eq(aud_logread_next(r, &line, &llen, &too_long), 1);
	ck_assert(!too_long);
	ck_assert_uint_eq(llen, l1);
	ck_assert(line[0] == 'p' && line[l1 - 1] == 'p');
	ck_assert_int_eq(aud_logread_next(r, &line, &llen, &too_long), 1);
	ck_assert(too_long);
	ck_assert_uint_eq(llen, AUD_LINE_MAX);
	ck_assert(line[0] == 'q' && line[llen - 1] == 'q');
	expect_line(r, "end", false);
	expect_eof(r);
	aud_logread_free(r);
	close(fd);
	reap(pid);
	free(data);
}
END_TEST

START_TEST(test_read_error)
{
	struct aud_logread *r = aud_logread_new(-1);
	const char *line;
	size_t len;
	bool too_long;

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(aud_logread_next(r, &line, &len, &too_long), -EBADF);
	aud_logread_free(r);
}
END_TEST

/* ---- End to end: a log with garbage, through reader and correlator ---- */

static int e2e_events;
static uint32_t e2e_serials[8], e2e_nrec[8];

static void
e2e_collect(const struct fc_event *ev, void *arg)
{
	(void)arg;
	ck_assert_int_lt(e2e_events, 8);
	e2e_serials[e2e_events] = ev->ev_serial;
	e2e_nrec[e2e_events++] = ev->ev_nrecords;
}

START_TEST(test_log_to_events)
{
	static const char log[] =
	    "type=SYSCALL msg=audit(1.000:1): arch=c000003e syscall=59\n"
	    "type=SYSCALL msg=audit(1.000:1\n"		/* truncated */
	    "\xff\xfe garbage \x01\x02\n"
	    "type=EXECVE msg=audit(1.000:1): argc=1 a0=\"ls\"\n"
	    "type=SYSC\0ALL msg=audit(1.000:1): x=1\n"	/* NUL */
	    "# a comment\n"
	    "\n"
	    "type=BOGUS msg=audit(1.000:2): a=b\n"
	    "type=PROCTITLE msg=audit(1.000:1): proctitle=6C73\n"
	    "type=USER_LOGIN msg=audit(1.000:3): pid=1 msg='res=ok'";
	int fd = file_with(log, sizeof(log) - 1);
	struct aud_logread *r = aud_logread_new(fd);
	struct aud_corr *c = aud_corr_new(NULL, e2e_collect, NULL);
	int counts[5] = { 0 };
	struct aud_record rec;
	const char *line;
	size_t len;
	bool too_long;

	e2e_events = 0;
	while (aud_logread_next(r, &line, &len, &too_long) == 1) {
		enum aud_rec_err e = aud_rec_parse_line(line, len, &rec);
		counts[e]++;
		if (e == AUD_REC_OK)
			aud_corr_add(c, &rec, 0);
	}
	aud_corr_flush(c);
	ck_assert_int_eq(counts[AUD_REC_OK], 4);
	ck_assert_int_eq(counts[AUD_REC_EMPTY], 2);
	ck_assert_int_eq(counts[AUD_REC_NO_TYPE], 2);
	ck_assert_int_eq(counts[AUD_REC_NO_STAMP], 1);
	ck_assert_int_eq(counts[AUD_REC_BINARY], 1);
	ck_assert_int_eq(e2e_events, 2);
	ck_assert_uint_eq(e2e_serials[0], 1);
	ck_assert_uint_eq(e2e_nrec[0], 3);
	ck_assert_uint_eq(e2e_serials[1], 3);
	ck_assert_uint_eq(e2e_nrec[1], 1);
	aud_corr_free(c);
	aud_logread_free(r);
	close(fd);
}
END_TEST

Suite *
suite_for_main(void)
{
	Suite *s = suite_create("audit log reader");
	TCase *tc = tcase_create("lines");
	TCase *tl = tcase_create("long lines");

	tcase_add_test(tc, test_lines);
	tcase_add_test(tc, test_empty_input);
	tcase_add_test(tc, test_many_lines);
	tcase_add_test(tc, test_pipe);
	tcase_add_test(tc, test_read_error);
	tcase_add_test(tc, test_log_to_events);
	suite_add_tcase(s, tc);

	tcase_set_timeout(tl, 60);
	tcase_add_test(tl, test_too_long);
	tcase_add_test(tl, test_too_long_many);
	tcase_add_test(tl, test_exactly_max);
	tcase_add_test(tl, test_too_long_at_eof);
	tcase_add_test(tl, test_pipe_long_lines);
	suite_add_tcase(s, tl);
	return s;
}
