/*
 * rl_test.h - helpers shared by the rules loader tests.
 */
#ifndef FC_RL_TEST_H
#define FC_RL_TEST_H

#include <check.h>

#include "rules/loader.h"

/* Load text as "rules.yaml" (and rl_finish() when loading succeeded). */
struct rl_collector	*t_load(const char *yaml);
struct rl_collector	*t_load_opt(const char *yaml, const struct rl_options *o);
/* First diagnostic with this code whose message contains sub (or NULL). */
const struct rl_diag	*t_diag(struct rl_collector *c, enum rl_code code,
			    const char *sub);
size_t			 t_count(struct rl_collector *c, enum rl_code code);
size_t			 t_warnings(struct rl_collector *c);
/* The first error, or NULL. */
const struct rl_diag	*t_error(struct rl_collector *c);
const struct rl_rule	*t_rule(struct rl_collector *c, const char *name);
const struct rl_macro	*t_macro(struct rl_collector *c, const char *name);
const struct rl_list	*t_list(struct rl_collector *c, const char *name);

/* Assert that loading text fails with exactly this first error. */
void	t_expect_error(const char *yaml, enum rl_code code, const char *msg);

TCase	*tc_rule_loader_rules(void);
TCase	*tc_rule_loader_files(void);
TCase	*tc_rule_loader_exceptions(void);

#endif
