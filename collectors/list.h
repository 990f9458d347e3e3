/*
 * list.h - every collector, in the order irkit-collect runs them.
 * Adding a collector is one file exporting irk_collector_NAME and one
 * line here.
 */
COLLECTOR(processes)
COLLECTOR(services)
COLLECTOR(tasks)
COLLECTOR(certificates)
COLLECTOR(kernel_modules)
