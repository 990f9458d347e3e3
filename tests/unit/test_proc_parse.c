/* test_proc_parse.c - the /proc parsers of collectors/proc_parse.c on fixture text. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "proc_parse.h"

#define S(x) x, sizeof(x) - 1

static const char stat_line[] =
    "1234 (bash) S 1000 1234 1234 34816 5678 4194304 1234 5678 0 0 "
    "12 34 0 0 20 0 1 0 98765 8761344 1234 18446744073709551615 1 1 0 0 0 "
    "0 65536 3686404 1266761467 0 0 0 17 1 0 0 0 0 0\n";

static void
test_stat_plain(void **state)
{
	struct irk_proc_stat ps;

	(void)state;
	assert_int_equal(irk_proc_parse_stat(S(stat_line), &ps), 0);
	assert_int_equal(ps.pid, 1234);
	assert_string_equal(ps.comm, "bash");
	assert_int_equal(ps.state, 'S');
	assert_int_equal(ps.ppid, 1000);
	assert_int_equal(ps.pgrp, 1234);
	assert_int_equal(ps.session, 1234);
	assert_int_equal(ps.tty_nr, 34816);
	assert_int_equal(ps.flags, 4194304);
	assert_int_equal(ps.utime, 12);
	assert_int_equal(ps.stime, 34);
	assert_int_equal(ps.num_threads, 1);
	assert_int_equal(ps.starttime, 98765);
	assert_int_equal(ps.vsize, 8761344);
	assert_int_equal(ps.rss, 1234);
}

static void
test_stat_weird_comm(void **state)
{
	static const char weird[] =
	    "77 (a) b (c) )) R 1 77 77 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 3 0 "
	    "500 1000 10 0\n";
	static const char kthread[] =
	    "2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 24 0 0 "
	    "18446744073709551615 0 0 0 0 0 0 0 2147483647 0 0 0 0 0 1 0 0 0 0 0";
	static const char spaces[] =
	    "9 (  ) Z 1 9 9 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 7 0 0";
	struct irk_proc_stat ps;

	(void)state;
	assert_int_equal(irk_proc_parse_stat(S(weird), &ps), 0);
	assert_string_equal(ps.comm, "a) b (c) )");
	assert_int_equal(ps.state, 'R');
	assert_int_equal(ps.ppid, 1);
	assert_int_equal(ps.num_threads, 3);
	assert_int_equal(ps.starttime, 500);
	assert_int_equal(irk_proc_parse_stat(S(kthread), &ps), 0);
	assert_true((ps.flags & 0x00200000) != 0);
	assert_int_equal(ps.ppid, 0);
	assert_int_equal(irk_proc_parse_stat(S(spaces), &ps), 0);
	assert_string_equal(ps.comm, "  ");
	assert_int_equal(ps.state, 'Z');
}

static void
test_stat_bad(void **state)
{
	struct irk_proc_stat ps;
	char longc[400];

	(void)state;
	/* every truncation of a good line fails cleanly */
	for (size_t n = 0; n < (size_t)(strstr(stat_line, " 1234 1844") -
	    stat_line); n++)
		assert_int_equal(irk_proc_parse_stat(stat_line, n, &ps), -1);
	assert_int_equal(irk_proc_parse_stat(S("1234 bash S 1"), &ps), -1);
	assert_int_equal(irk_proc_parse_stat(S("x (a) S 1 2 3 4"), &ps), -1);
	assert_int_equal(irk_proc_parse_stat(S("1 (a) SS 1 2 3 4 5 6 7 8 9"),
	    &ps), -1);
	assert_int_equal(irk_proc_parse_stat(S(")1 (a"), &ps), -1);
	assert_int_equal(irk_proc_parse_stat(S(""), &ps), -1);
	/* an over-long comm is cut, not overflowed */
	memset(longc, 'A', sizeof(longc));
	memcpy(longc, "5 (", 3);
	(void)snprintf(longc + 300, 100, ") S 1 5 5 0 -1 0 0 0 0 0 0 0 0 0 20 "
	    "0 1 0 9 0 0");
	assert_int_equal(irk_proc_parse_stat(longc, strlen(longc), &ps), 0);
	assert_int_equal(ps.comm_len, IRK_PROC_COMM_MAX - 1);
	assert_int_equal(strlen(ps.comm), IRK_PROC_COMM_MAX - 1);
	assert_int_equal(ps.starttime, 9);
}

static void
test_status(void **state)
{
	static const char st[] =
	    "Name:\tsleep\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t4242\n"
	    "Ngid:\t0\nPid:\t4243\nPPid:\t1\nTracerPid:\t0\n"
	    "Uid:\t1000\t0\t1001\t1002\nGid:\t100\t101\t102\t103\n"
	    "FDSize:\t64\nGroups:\t100 \nVmRSS:\t    1536 kB\nThreads:\t2\n";
	static const char nouid[] = "Name:\tx\nState:\tS\n";
	static const char trunc[] = "Tgid:\t7\nUid:\t1000\t10";
	struct irk_proc_status s;

	(void)state;
	assert_int_equal(irk_proc_parse_status(S(st), &s), 0);
	assert_true(s.have_uid);
	assert_true(s.have_gid);
	assert_int_equal(s.uid[0], 1000);
	assert_int_equal(s.uid[1], 0);
	assert_int_equal(s.uid[2], 1001);
	assert_int_equal(s.uid[3], 1002);
	assert_int_equal(s.gid[1], 101);
	assert_int_equal(s.tgid, 4242);
	assert_int_equal(s.pid, 4243);
	assert_int_equal(s.ppid, 1);
	assert_int_equal(s.threads, 2);
	assert_int_equal(s.vmrss_kb, 1536);
	assert_int_equal(irk_proc_parse_status(S(nouid), &s), -1);
	/* a truncated Uid line is not half-believed */
	assert_int_equal(irk_proc_parse_status(S(trunc), &s), 0);
	assert_false(s.have_uid);
	assert_int_equal(s.tgid, 7);
	assert_int_equal(s.vmrss_kb, -1);
}

static void
test_cmdline(void **state)
{
	json_t *a;

	(void)state;
	a = irk_proc_parse_cmdline(S("/bin/sleep\0" "1000\0" "a b\0"));
	assert_non_null(a);
	assert_int_equal(json_array_size(a), 3);
	assert_string_equal(json_string_value(json_array_get(a, 0)),
	    "/bin/sleep");
	assert_string_equal(json_string_value(json_array_get(a, 2)), "a b");
	json_decref(a);
	/* no final NUL (truncated read), an empty argument kept */
	a = irk_proc_parse_cmdline(S("x\0\0y"));
	assert_int_equal(json_array_size(a), 3);
	assert_string_equal(json_string_value(json_array_get(a, 1)), "");
	assert_string_equal(json_string_value(json_array_get(a, 2)), "y");
	json_decref(a);
	a = irk_proc_parse_cmdline("", 0);
	assert_int_equal(json_array_size(a), 0);
	json_decref(a);
	/* bytes that are not UTF-8 are escaped, never dropped */
	a = irk_proc_parse_cmdline(S("\xff\0"));
	assert_string_equal(json_string_value(json_array_get(a, 0)), "\\xff");
	json_decref(a);
}

static void
test_tty(void **state)
{
	char t[32];

	(void)state;
	assert_int_equal(irk_proc_tty_name(0, t, sizeof(t)), -1);
	assert_int_equal(irk_proc_tty_name(34816, t, sizeof(t)), 0);
	assert_string_equal(t, "pts/0");
	assert_int_equal(irk_proc_tty_name(34819, t, sizeof(t)), 0);
	assert_string_equal(t, "pts/3");
	/* pts/300: major 137, minor 44 */
	assert_int_equal(irk_proc_tty_name((137 << 8) | 44, t, sizeof(t)), 0);
	assert_string_equal(t, "pts/300");
	assert_int_equal(irk_proc_tty_name(1025, t, sizeof(t)), 0);
	assert_string_equal(t, "tty1");
	assert_int_equal(irk_proc_tty_name(1088, t, sizeof(t)), 0);
	assert_string_equal(t, "ttyS0");
	assert_int_equal(irk_proc_tty_name((5 << 8) | 1, t, sizeof(t)), 0);
	assert_string_equal(t, "console");
	/* a large minor: (minor & 0xff) | ((minor >> 8) << 20) */
	assert_int_equal(irk_proc_tty_name((136 << 8) | 0x12 | (0x3 << 20),
	    t, sizeof(t)), 0);
	assert_string_equal(t, "pts/786");
	assert_int_equal(irk_proc_tty_name((200 << 8) | 7, t, sizeof(t)), 0);
	assert_string_equal(t, "char:200:7");
	assert_int_equal(irk_proc_tty_name(34816, t, 3), -1);
	assert_int_equal(irk_proc_tty_name(-5, t, sizeof(t)), -1);
}

static void
test_inet(void **state)
{
	static const char hdr[] = "  sl  local_address rem_address   st "
	    "tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";
	static const char v4[] = "   0: 0100007F:1F90 0A01A8C0:D431 01 "
	    "00000000:00000000 00:00000000 00000000  1000        0 98765 1 "
	    "0000000000000000 20 4 30 10 -1";
	static const char v6[] = "   1: 00000000000000000000000001000000:0050 "
	    "00000000000000000000000000000000:0000 0A 00000000:00000000 "
	    "00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 "
	    "0 10 0";
	static const char mapped[] = "   2: 0000000000000000FFFF00000100007F:"
	    "0016 0000000000000000FFFF00000A00000A:C350 06 00000000:00000000 "
	    "03:00000000 00000000     0        0 0 3 0000000000000000";
	static const char udp[] = "  5: 00000000:0044 00000000:0000 07 "
	    "00000000:00000000 00:00000000 00000000     0        0 1111 2 "
	    "0000000000000000 0";
	struct irk_proc_sock s;

	(void)state;
	assert_int_equal(irk_proc_parse_inet(S(hdr), 0, &s), -1);
	assert_int_equal(irk_proc_parse_inet(S(v4), 0, &s), 0);
	assert_string_equal(s.local, "127.0.0.1");
	assert_int_equal(s.lport, 8080);
	assert_string_equal(s.remote, "192.168.1.10");
	assert_int_equal(s.rport, 54321);
	assert_int_equal(s.state, 1);
	assert_string_equal(irk_proc_tcp_state(s.state), "ESTABLISHED");
	assert_int_equal(s.uid, 1000);
	assert_int_equal(s.inode, 98765);
	assert_int_equal(irk_proc_parse_inet(S(v6), 1, &s), 0);
	assert_string_equal(s.local, "::1");
	assert_int_equal(s.lport, 80);
	assert_string_equal(s.remote, "::");
	assert_string_equal(irk_proc_tcp_state(s.state), "LISTEN");
	assert_int_equal(s.inode, 4242);
	assert_int_equal(irk_proc_parse_inet(S(mapped), 1, &s), 0);
	assert_string_equal(s.local, "::ffff:127.0.0.1");
	assert_string_equal(s.remote, "::ffff:10.0.0.10");
	assert_int_equal(s.rport, 50000);
	assert_string_equal(irk_proc_tcp_state(s.state), "TIME_WAIT");
	assert_int_equal(irk_proc_parse_inet(S(udp), 0, &s), 0);
	assert_string_equal(s.local, "0.0.0.0");
	assert_int_equal(s.lport, 68);
	assert_string_equal(irk_proc_udp_state(s.state), "UNCONN");
	/* a v4 line is not a v6 line, and truncations all fail */
	assert_int_equal(irk_proc_parse_inet(S(v4), 1, &s), -1);
	/* cut anywhere before the last field it needs (the inode) */
	for (size_t n = 0; n < (size_t)(strstr(v4, "98765") - v4); n++)
		assert_int_equal(irk_proc_parse_inet(v4, n, 0, &s), -1);
	assert_int_equal(irk_proc_parse_inet(S("   0: 0100007G:1F90 "
	    "0A01A8C0:D431 01 0:0 0:0 0 0 0 1"), 0, &s), -1);
	assert_int_equal(irk_proc_parse_inet(S("   0: 0100007F:1F90 "
	    "0A01A8C0:D431 1FF 0:0 0:0 0 0 0 1"), 0, &s), -1);
	assert_string_equal(irk_proc_tcp_state(99), "UNKNOWN");
	assert_string_equal(irk_proc_tcp_state(0), "UNKNOWN");
}

static void
test_unix(void **state)
{
	static const char hdr[] =
	    "Num       RefCount Protocol Flags    Type St Inode Path";
	static const char listen[] = "0000000000000000: 00000002 00000000 "
	    "00010000 0001 01 22305 /run/systemd/private";
	static const char conn[] = "00000000a6333699: 00000003 00000000 "
	    "00000000 0001 03  1216";
	static const char spacey[] = "0000000000000000: 00000002 00000000 "
	    "00000000 0002 01 777 @/tmp/a b c";
	struct irk_proc_sock s;

	(void)state;
	assert_int_equal(irk_proc_parse_unix(S(hdr), &s), -1);
	assert_int_equal(irk_proc_parse_unix(S(listen), &s), 0);
	assert_int_equal(s.inode, 22305);
	assert_true(s.listening);
	assert_string_equal(irk_proc_unix_state(&s), "LISTEN");
	assert_string_equal(irk_proc_unix_type(s.type), "stream");
	assert_int_equal(s.path_len, strlen("/run/systemd/private"));
	assert_memory_equal(s.path, "/run/systemd/private", s.path_len);
	assert_int_equal(irk_proc_parse_unix(S(conn), &s), 0);
	assert_int_equal(s.inode, 1216);
	assert_null(s.path);
	assert_string_equal(irk_proc_unix_state(&s), "CONNECTED");
	assert_int_equal(irk_proc_parse_unix(S(spacey), &s), 0);
	assert_string_equal(irk_proc_unix_type(s.type), "dgram");
	assert_int_equal(s.path_len, strlen("@/tmp/a b c"));
	assert_memory_equal(s.path, "@/tmp/a b c", s.path_len);
	for (size_t n = 0; n < (size_t)(strstr(listen, "22305") - listen); n++)
		assert_int_equal(irk_proc_parse_unix(listen, n, &s), -1);
}

static void
test_link_id(void **state)
{
	uint64_t id;

	(void)state;
	assert_int_equal(irk_proc_parse_link_id(S("net:[4026531840]"), "net",
	    &id), 0);
	assert_int_equal(id, 4026531840ULL);
	assert_int_equal(irk_proc_parse_link_id(S("socket:[12]"), "socket",
	    &id), 0);
	assert_int_equal(id, 12);
	assert_int_equal(irk_proc_parse_link_id(S("pipe:[12]"), "socket",
	    &id), -1);
	assert_int_equal(irk_proc_parse_link_id(S("socket:[]"), "socket",
	    &id), -1);
	assert_int_equal(irk_proc_parse_link_id(S("socket:[12"), "socket",
	    &id), -1);
	assert_int_equal(irk_proc_parse_link_id(S("socket:[-1]"), "socket",
	    &id), -1);
	assert_int_equal(irk_proc_parse_link_id(S("/dev/null"), "socket",
	    &id), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stat_plain),
		cmocka_unit_test(test_stat_weird_comm),
		cmocka_unit_test(test_stat_bad),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_cmdline),
		cmocka_unit_test(test_tty),
		cmocka_unit_test(test_inet),
		cmocka_unit_test(test_unix),
		cmocka_unit_test(test_link_id),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
