/*
 * fan_test.h - shared by the fanotify test files.
 */
#ifndef FC_FAN_TEST_H
#define FC_FAN_TEST_H

#include <check.h>

/* Add the real-kernel test case (root, fanotify available). */
void	fan_test_add_live(Suite *s);

#endif
