/*
 * audit.h - kernel audit records in, struct fc_event out.
 *
 * Three layers, each usable alone:
 *   1. aud_rec_*: split one record (netlink payload or audit.log line) into
 *      its header (type, time, serial, node) and a cursor over key=value
 *      fields.  Zero-copy: everything points into the caller's buffer.
 *   2. aud_decode_*: turn one raw value into bytes (quoted, hex, sentinels).
 *   3. aud_corr_*: the correlator.  Records go in, complete events come out
 *      through a callback, in completion order.
 *
 * Nothing here logs, nothing here reads a clock: the caller drives time.
 */
#ifndef FC_AUDIT_AUDIT_H
#define FC_AUDIT_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/event.h"

/* Record types we handle by number (values from linux/audit.h). */
enum {
	AUD_T_USER = 1005,
	AUD_T_LOGIN = 1006,
	AUD_T_FIRST_DAEMON = 1200,
	AUD_T_SYSCALL = 1300,
	AUD_T_PATH = 1302,
	AUD_T_SOCKADDR = 1306,
	AUD_T_CWD = 1307,
	AUD_T_EXECVE = 1309,
	AUD_T_OBJ_PID = 1318,
	AUD_T_EOE = 1320,
	AUD_T_BPRM_FCAPS = 1321,
	AUD_T_PROCTITLE = 1327,
	AUD_T_KERNEL = 2000,
	AUD_T_FIRST_ANOM = 2100,
	AUD_T_MAC_UNLBL_ALLOW = 1406,
	AUD_T_MAC_CALIPSO_DEL = 1419,
};

/* ---- 1. Records ------------------------------------------------------ */

enum aud_val_kind {
	AUD_V_BARE = 0,		/* unquoted token: number, hex, sentinel */
	AUD_V_DQUOTED,		/* "text" (quotes not included in val) */
	AUD_V_SQUOTED,		/* 'text' (user-space msg='...') */
};

struct aud_field {
	const char	*key;
	size_t		 klen;
	const char	*val;
	size_t		 vlen;
	enum aud_val_kind kind;
};

struct aud_record {
	int		 type;		/* record type number */
	uint64_t	 sec;
	uint32_t	 msec;
	uint32_t	 serial;
	const char	*node;		/* node=NAME of audit.log, or NULL */
	size_t		 nodelen;
	const char	*body;		/* the key=value text after "): " */
	size_t		 bodylen;	/* up to, not including, an 0x1D tail */
};

enum aud_rec_err {
	AUD_REC_OK = 0,
	AUD_REC_EMPTY,		/* blank line or comment: not a record */
	AUD_REC_NO_TYPE,	/* missing or unknown type= */
	AUD_REC_NO_STAMP,	/* missing or bad audit(SEC.MSEC:SERIAL): */
	AUD_REC_BINARY,		/* NUL byte in the text */
};

/*
 * aud_rec_parse_line - parse one audit.log / plugin "string" line:
 * "[node=NAME ]type=NAME msg=audit(SEC.MSEC:SERIAL): fields[\x1d...]".
 * line need not be NUL-terminated; a trailing '\n' is ignored.  On success
 * fills *rec (pointers into line) and returns AUD_REC_OK.
 */
enum aud_rec_err aud_rec_parse_line(const char *line, size_t len,
	    struct aud_record *rec);

/*
 * aud_rec_parse_netlink - parse a kernel netlink payload
 * "audit(SEC.MSEC:SERIAL): fields" whose type came from nlmsg_type.
 */
enum aud_rec_err aud_rec_parse_netlink(int type, const char *payload,
	    size_t len, struct aud_record *rec);

/* Record-type name ("SYSCALL"); "UNKNOWN[N]" in buf (>= 24 bytes) when unknown. */
const char *aud_type_name(int type, char *buf, size_t bufsz);

/* Errno name for a negative exit value ("ENOENT"), NULL when unknown. */
const char *aud_errno_name(int64_t exit);

/* Architecture name ("x86_64") for an AUDIT_ARCH value, NULL when unknown. */
const char *aud_arch_name(uint32_t arch);

/* Syscall name for (arch, nr) from libaudit's tables, NULL when unknown. */
const char *aud_syscall_name(uint32_t arch, int nr);

/* Human-readable text for an aud_rec_err. */
const char *aud_rec_strerror(enum aud_rec_err err);

/* Record type number for NAME ("SYSCALL", "UNKNOWN[1420]"), -1 if unknown. */
int	aud_type_from_name(const char *name, size_t len);

/*
 * Cursor over the fields of rec->body.  Tolerates runs of spaces, a bare
 * word without '=' (returned with val NULL), empty values, doubled '='
 * (the value keeps the extra '='), duplicate keys.
 */
struct aud_cursor {
	const char	*p;
	const char	*end;
};

void	aud_cursor_init(struct aud_cursor *c, const char *p, size_t len);
bool	aud_cursor_next(struct aud_cursor *c, struct aud_field *f);

/* ---- 2. Values ------------------------------------------------------- */

/* Whether the field key (e.g. "comm", "a1[0]", "new-disk") is an encoded field. */
bool	aud_field_is_encoded(const char *key, size_t klen);

/*
 * aud_decode_value - decode an encoded value into out (at least vlen bytes).
 * Quoted: the text.  Bare: hex decoded when it is valid hex; "(null)"
 * returns false (absent).  Anything else (e.g. "?", odd hex) is copied as is.
 * Stores the length in *outlen.  Returns false only for "(null)".
 */
bool	aud_decode_value(const struct aud_field *f, char *out, size_t *outlen);

/* Hex digits to bytes.  Returns false on an odd length or a non-hex digit. */
bool	aud_hex_decode(const char *hex, size_t len, char *out);

/* Strict unsigned/signed number parsing of a bare value. */
bool	aud_parse_u64(const char *p, size_t len, int base, uint64_t *out);
bool	aud_parse_i64(const char *p, size_t len, int64_t *out);

/* ---- 3. Correlator --------------------------------------------------- */

struct aud_corr;

struct aud_corr_opts {
	unsigned	 max_in_flight;	/* events being assembled; oldest flushed past it */
	unsigned	 timeout_ms;	/* an incomplete event completes this old */
};

/* Counters, never reset. */
struct aud_corr_stats {
	uint64_t	 records;	/* records accepted */
	uint64_t	 events;	/* events emitted */
	uint64_t	 eoe;		/* completed by EOE */
	uint64_t	 last_record;	/* completed because they could no longer grow */
	uint64_t	 timed_out;	/* completed by timeout */
	uint64_t	 evicted;	/* flushed early: in-flight bound */
	uint64_t	 flushed;	/* flushed at end of input */
	uint64_t	 truncated;	/* events that hit a cap */
	uint64_t	 late_eoe;	/* EOEs of events already completed */
	uint64_t	 dropped;	/* records lost: no memory for a new event */
};

/*
 * Called once per complete event.  The event is borrowed: it is valid only
 * during the call and is recycled afterwards.
 */
typedef void (*aud_event_cb)(const struct fc_event *ev, void *arg);

/*
 * NULL on allocation failure.  opts NULL means the defaults (1024 in
 * flight, 2000 ms).  The callback must not call back into the correlator.
 */
struct aud_corr *aud_corr_new(const struct aud_corr_opts *opts,
	    aud_event_cb cb, void *arg);
void	aud_corr_free(struct aud_corr *c);

/*
 * aud_corr_add - add one parsed record.  now_ms is the caller's clock in
 * milliseconds (wall clock for live sources; record time for replay); it
 * stamps the event's arrival for the timeout.  May emit events (this one
 * when complete, or the oldest when the in-flight bound is reached).
 */
void	aud_corr_add(struct aud_corr *c, const struct aud_record *rec,
	    uint64_t now_ms);

/* Complete every event that arrived at or before now_ms - timeout. */
void	aud_corr_tick(struct aud_corr *c, uint64_t now_ms);

/* Complete every event in flight (end of input), oldest first. */
void	aud_corr_flush(struct aud_corr *c);

unsigned aud_corr_in_flight(const struct aud_corr *c);
void	aud_corr_stats(const struct aud_corr *c, struct aud_corr_stats *st);

/*
 * Whether a record of this type ends its event (the kernel emits nothing
 * after it for the same serial).  Mirrors auparse's rule so that logs
 * without EOE group the same way.
 */
bool	aud_type_is_last(int type);

/* ---- JSON ------------------------------------------------------------ */

struct fc_buf;

/* Append the JSON object of ev (docs/events.md) to b, without a newline. */
void	aud_event_json(const struct fc_event *ev, struct fc_buf *b);

/* ---- Log files ------------------------------------------------------- */

/*
 * A line reader over a file descriptor (audit.log, a pipe, stdin), with
 * a cap on line length.  The fd is borrowed, not closed.
 */
struct aud_logread;

enum {
	AUD_LINE_MAX = 4u << 20,	/* longer lines are skipped as malformed */
};

struct aud_logread *aud_logread_new(int fd);
void	aud_logread_free(struct aud_logread *r);

/*
 * Next line (without the newline) in line and len, valid until the next call.
 * Returns 1 for a line, 0 at end of input, -errno on a read error.
 * A line longer than AUD_LINE_MAX is returned cut at the cap with
 * *too_long set; the rest of it is skipped.
 */
int	aud_logread_next(struct aud_logread *r, const char **line, size_t *len,
	    bool *too_long);

/* ---- Event building (used by the correlator, exposed for tests) ------ */

/* Fold one record into ev (first record also sets identity).  Never fails: caps truncate. */
void	aud_event_add_record(struct fc_event *ev, const struct aud_record *rec);

/* Finish assembly (argv check, flags). */
void	aud_event_finish(struct fc_event *ev);

#endif
