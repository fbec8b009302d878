/*
 * check_main.h - what a Check test binary provides to check_main.c,
 * plus small helpers shared by the tests.
 */
#ifndef FC_CHECK_MAIN_H
#define FC_CHECK_MAIN_H

#include <check.h>

/* The suite this binary runs. */
Suite	*suite_for_main(void);

#endif
