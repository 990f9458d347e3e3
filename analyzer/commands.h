/*
 * commands.h - irkit-analyze's subcommands, one line each:
 * COMMAND(name, "one-line help").  Each lives in analyzer/cmd_NAME.c as
 * int irk_cmd_NAME(int argc, char **argv), with its own options; argv[0]
 * is the subcommand's name.  It returns the exit status (0 done, 1 done
 * but something could not be read, 2 usage, 3 fatal).
 */
COMMAND(ingest, "verify, scan and load evidence into the case database")
COMMAND(verify, "check evidence archives against their manifests")
COMMAND(image, "open disk images (raw, split, E01), load timeline, scan, collect")
COMMAND(rules, "check or compile YARA rule files and folders")
COMMAND(findings, "list the case's findings, highest score first")
COMMAND(counts, "the rows of a case by kind: evidence, records, events, findings")
COMMAND(diff, "what changed between two collections of a host: added, removed, changed")
COMMAND(baseline, "mark a collection as its host's known-good state; later ones get findings")
COMMAND(export, "write the timeline as Timesketch, l2tcsv, bodyfile, CSV, JSONL or TLN")
COMMAND(report, "write a self-contained HTML report of a case database")
COMMAND(merge, "merge shards (cases of one input each, made anywhere) into one case")
COMMAND(cache, "export a case's scan cache to a file, or import one into a case")
