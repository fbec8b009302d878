/*
 * golden_util.h - helpers shared by the golden and libauparse comparison
 * tests (check_golden_goaudit, check_golden_laurel, check_auparse_counts).
 *
 * They feed audit text through falconet's parser and correlator exactly as
 * `falconet replay` does (record time as the clock, a tick after every
 * record, a flush at the end) and hand back the events as jansson objects
 * in falconet's JSON form (docs/events.md), so a test can compare them
 * with another project's expected output.  Nothing here asserts: the
 * callers do.
 */
#ifndef FC_TESTS_GOLDEN_UTIL_H
#define FC_TESTS_GOLDEN_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "audit/audit.h"

/* What a replay saw. */
struct gu_counts {
	uint64_t	 lines;		/* lines read, blank ones included */
	uint64_t	 malformed;	/* lines the record parser refused */
	uint64_t	 records;	/* records accepted by the correlator */
	uint64_t	 events;	/* events it emitted */
	uint64_t	 late_eoe;	/* EOEs absorbed after their event completed */
	uint64_t	 dropped;	/* records lost for want of memory */
};

/*
 * Called for every event after its JSON object was built: lets a test add
 * what the JSON form does not show (raw bytes, the event id...).  Keys a
 * test adds start with '_' so they cannot be mistaken for falconet output.
 */
typedef void (*gu_decorate_fn)(const struct fc_event *ev, json_t *obj);

/*
 * The decoration the golden tests use: "_id" (laurel's "SEC.MSEC:SERIAL"),
 * "_saddr_hex" (the SOCKADDR bytes as logged, upper-case hex),
 * "_proctitle_argv" (the raw proctitle split on NUL) and, in each
 * "paths" entry, "_caps" (cap_fp/cap_fi as "0x.." hex, cap_fe and cap_fver
 * as falconet decoded them) and "_fields" (the generic key/values of that
 * PATH record, e.g. obj= and cap_frootid=).
 */
void	 gu_decorate(const struct fc_event *ev, json_t *obj);

/* Path of a file of the shared folder ("thirdparty/audit-corpus/..."), malloc'd. */
char	*gu_shared_path(const char *rel);

/* Whole file, NUL-terminated, malloc'd; NULL on error.  *len may be NULL. */
char	*gu_read_file(const char *path, size_t *len);

/* Number of lines of text (a last line without '\n' counts). */
size_t	 gu_count_lines(const char *text, size_t len);

/* Line n (from 0) of text: its start, and its length in *len; NULL past the end. */
const char *gu_line(const char *text, size_t len, size_t n, size_t *linelen);

/*
 * Replay text (audit.log lines) and return a new JSON array of the events
 * in completion order.  decorate may be NULL; counts may be NULL.
 */
json_t	*gu_replay_json(const char *text, size_t len, gu_decorate_fn decorate,
	    struct gu_counts *counts);

/* Replay everything readable from fd, counting only.  0 or -errno. */
int	 gu_replay_fd_counts(int fd, struct gu_counts *counts);

/*
 * One record line alone into a fresh event (aud_event_add_record, then
 * aud_event_finish): its JSON object, or NULL when the line does not
 * parse (*err says why).  decorate may be NULL.
 */
json_t	*gu_record_json(const char *line, size_t len, gu_decorate_fn decorate,
	    enum aud_rec_err *err);

/* "SEC.MSEC:SERIAL" of an event (laurel's ID) into buf (>= 48 bytes). */
void	 gu_event_id(const struct fc_event *ev, char *buf, size_t bufsz);

/* Upper-case hex of len bytes into a malloc'd string. */
char	*gu_hex(const void *p, size_t len);

/* String member key of obj, NULL when absent or not a string. */
const char *gu_str(const json_t *obj, const char *key);

/* Member key of obj as text: a string as is, an integer in decimal,
 * true/false/null as words; NULL when absent.  Returns buf or the string. */
const char *gu_text(const json_t *obj, const char *key, char *buf,
	    size_t bufsz);

#endif
