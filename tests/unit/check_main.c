/*
 * check_main.c - main() shared by every Check test binary.
 *
 * Each binary defines suite_for_main(); this runs it with the default
 * fork mode (CK_FORK=no in the environment disables forking for a
 * debugger) and exits non-zero if anything failed.  Under `make check`
 * the results are written as TAP (CK_TAP_LOG_FILE_NAME=-), so every test
 * case counts on its own.
 */
#include "config.h"

#include <stdlib.h>

#include "check_main.h"

int
main(void)
{
	SRunner *sr = srunner_create(suite_for_main());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
