/*
 * out_test.h - helpers shared by the output channel tests
 * (check_outputs.c, check_outputs_net.c).
 */
#ifndef FC_TEST_OUT_TEST_H
#define FC_TEST_OUT_TEST_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "outputs/outputs.h"

struct fc_conf;
struct tcase;

/* A configuration from "key=value" options (NULL-terminated); aborts the test on error. */
struct fc_conf *ot_conf(const char *const *opts);
/* An alert message of priority pri with rendered output `output`. */
struct out_msg *ot_msg(int pri, const char *output);
/* The "output" string of m's JSON form (malloc'd). */
char	*ot_json_output(const struct out_msg *m);

struct out_chan_stats ot_stats(struct out_set *s, enum out_chan_kind k);
/* Poll (5 ms steps) until cond holds or ms pass. */
#define OT_WAIT(cond, ms) \
	for (int ot_i_ = 0; !(cond) && ot_i_ < (ms) / 5; ot_i_++) \
		ot_sleep_ms(5)
void	ot_sleep_ms(unsigned ms);
uint64_t ot_now_ms(void);

/* A fresh temp directory, and its removal with everything in it. */
char	*ot_tmpdir(void);
void	ot_rmtree(char *dir);
char	*ot_path(const char *dir, const char *name);	/* malloc'd */
char	*ot_read(const char *path);	/* malloc'd, NULL if absent */
size_t	ot_lines(const char *path);	/* 0 if absent */

/* fd 1 redirected to path; ot_stdout_back() restores it. */
int	ot_stdout_to(const char *path);
void	ot_stdout_back(int saved);

/* Internal alerts recorded by the hook. */
struct ot_alerts {
	pthread_mutex_t	mu;
	int		n;
	int		pri[16];
	char		text[16][256];
	char		kv[16][1024];	/* "k=v;k=v;" */
};
void	ot_alerts_init(struct ot_alerts *a, struct out_hooks *h);
int	ot_alerts_count(struct ot_alerts *a);

/* check_outputs_net.c: the http and program test cases. */
#include <check.h>
void	ot_add_net_tests(Suite *s);

#endif
