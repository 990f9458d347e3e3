/*
 * list.h - the record types, one RECORD(name) line each (name: the
 * record's "type"; the file records/name.c exports irk_record_name).
 * The order is the order of IOC matching and of the triage counts.
 */
RECORD(process)
RECORD(service)
RECORD(task)
RECORD(socket)
RECORD(certificate)
RECORD(private_key)
RECORD(file)
RECORD(kernel_module)
RECORD(fs_entry)
RECORD(history_command)
RECORD(history_file)
RECORD(preload)
RECORD(account)
RECORD(group)
RECORD(ssh_key)
RECORD(ssh_known_hosts)
RECORD(sshd_config)
RECORD(sudo_rule)
RECORD(login)
RECORD(package_file)
RECORD(journal_entry)
RECORD(journal_file)
