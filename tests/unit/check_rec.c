/*
 * check_rec.c - record header parsing and the field cursor.
 */
#include "config.h"

#include <string.h>

#include "audit/audit.h"
#include "check_main.h"

START_TEST(test_line_header)
{
	const char *l = "type=SYSCALL msg=audit(1615114232.375:15558): arch=c000003e";
	struct aud_record rec;

	ck_assert_int_eq(aud_rec_parse_line(l, strlen(l), &rec), AUD_REC_OK);
	ck_assert_int_eq(rec.type, 1300);
	ck_assert_uint_eq(rec.sec, 1615114232);
	ck_assert_uint_eq(rec.msec, 375);
	ck_assert_uint_eq(rec.serial, 15558);
	ck_assert_uint_eq(rec.bodylen, strlen("arch=c000003e"));
}
END_TEST

Suite *
suite_for_main(void)
{
	Suite *s = suite_create("audit records");
	TCase *tc = tcase_create("header");

	tcase_add_test(tc, test_line_header);
	suite_add_tcase(s, tc);
	return s;
}
