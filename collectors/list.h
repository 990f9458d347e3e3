/*
 * list.h - every collector, in the order the programs run them.
 * Adding a collector is one file exporting irk_collector_NAME and one
 * line here (see docs/ARCHITECTURE.md, "Adding a collector").
 *
 * COLLECTOR(name) is always built in.  COLLECTOR_WINREG(name) needs
 * libregf and libxml2 (the Windows collectors, in analyzer/win_*.c): it
 * is an entry only where the table is built with IRK_WITH_WINREG, which
 * the Makefile does for irkit-analyze and never for the static
 * irkit-collect (./build.sh usb).  COLLECTOR_ANALYZER(name) is built
 * the same way, for parsers that live in the analyzer because their
 * library is not static (libsystemd) or because irkit-collect copies
 * the raw files instead (logs): they declare IRK_SRC_COPIED to also run
 * over the copied files of a collection at ingest.
 */
COLLECTOR(processes)
COLLECTOR(services)
COLLECTOR(tasks)
COLLECTOR(certificates)
COLLECTOR(kernel_modules)
COLLECTOR(history)
COLLECTOR(preload)
COLLECTOR_WINREG(win_services)
COLLECTOR_WINREG(win_tasks)
COLLECTOR_WINREG(win_certs)
COLLECTOR(accounts)
COLLECTOR(ssh)
COLLECTOR(sudoers)
COLLECTOR(logins)
COLLECTOR(packages)
COLLECTOR(journal_files)
COLLECTOR_ANALYZER(journal)
COLLECTOR_ANALYZER(rpm_packages)
COLLECTOR_ANALYZER(evtx)
COLLECTOR_ANALYZER(prefetch)
COLLECTOR_ANALYZER(usn_file)
COLLECTOR_WINREG(win_autorun)
COLLECTOR_WINREG(win_userassist)
COLLECTOR_WINREG(win_shimcache)
COLLECTOR_WINREG(win_bam)
COLLECTOR_WINREG(win_amcache)
COLLECTOR_WINREG(win_psreadline)
COLLECTOR(logs)
COLLECTOR_ANALYZER(syslog)
COLLECTOR_ANALYZER(audit)
COLLECTOR_ANALYZER(package_logs)
COLLECTOR(filesystem)
