/*
 * irkit bundled detection content: Linux persistence and post-exploitation
 * one-liners in the scripts and configuration files the collectors bring
 * back (crontabs, systemd units, rc/profile scripts, ld.so.preload).
 *
 * Precision rules of the house:
 *   - never on ELF files (uint32(0) != 0x464c457f): bash itself contains
 *     "/dev/tcp", libc contains "/etc/ld.so.preload";
 *   - size limits fit for text files;
 *   - regexes anchored on real shell syntax (a pipe into a shell, a
 *     redirection into /dev/tcp/<host>/<port>, ExecStart=, a cron schedule)
 *     rather than on a single word.
 */

rule IRK_Linux_Cron_Download_Execute : linux persistence cron
{
	meta:
		description = "Crontab line (5-field schedule, named days/months allowed, or @reboot/@hourly/...) that downloads with curl/wget into a shell or interpreter (also through sudo -E, env, busybox, python reading stdin), or runs a decoded base64 blob"
		reference = "https://attack.mitre.org/techniques/T1053/003/"
		date = "2026-12-06"
		score = 80
		family = "linux-persistence"
		author = "irkit"

	strings:
		// atoms: "curl"/"wget"/"base64"; the schedule is matched backwards
		// from them on the same line
		$sched_dl = /(^|\n)[ \t]*(([0-9*\/,\-]+[ \t]+){3}[0-9A-Za-z*\/,\-]+[ \t]+[0-9A-Za-z*\/,\-]+|@(reboot|hourly|daily|weekly|monthly|yearly|annually|midnight))[ \t][^\n]*(c[u]rl|w[g]et)[ \t][^\n|;&]*((\|sh|\| sh|\|bash|\| ba[s]h|\|dash|\| da[s]h|\|zsh|\| zsh|\|ksh|\| ksh|\|ash|\| ash|\|perl|\| pe[r]l)\b|(\|python|\| py[t]hon)[0-9.]*[ \t]+-([ \t]|\n|$)|(\|\/usr|\| \/us[r]|\|\/bin|\| \/bi[n])(\/local)?(\/bin)?\/((ba|da|z|k|a)?sh|python[0-9.]*[ \t]+-([ \t]|\n|$)|perl)\b|(\|sudo|\| su[d]o|\|env|\| env|\|busybox|\| bu[s]ybox)([ \t]+(-[A-Za-z]+|sudo|env|busybox))*[ \t]+((\/usr)?(\/local)?\/bin\/)?((ba|da|z|k|a)?sh|python[0-9.]*[ \t]+-([ \t]|\n|$)|perl)\b|(\|\t|\|  )[ \t]*((sudo|env|busybox)([ \t]+-[A-Za-z]+)*[ \t]+)*((\/usr)?(\/local)?\/bin\/)?((ba|da|z|k|a)?sh|python[0-9.]*[ \t]+-([ \t]|\n|$)|perl)\b)/
		$sched_b64 = /(^|\n)[ \t]*(([0-9*\/,\-]+[ \t]+){3}[0-9A-Za-z*\/,\-]+[ \t]+[0-9A-Za-z*\/,\-]+|@(reboot|hourly|daily|weekly|monthly|yearly|annually|midnight))[ \t][^\n]*base64[ \t]+(-d|--decode|-di)[^\n]*\|[ \t]*(sudo[ \t]+(-[A-Za-z]+[ \t]+)*)?(ba|da|z|k)?sh\b/

	condition:
		uint32(0) != 0x464C457F and uint32(0) != 0x41524159 and filesize < 1MB and
		any of them
}

rule IRK_Linux_Systemd_Unit_Download_Execute : linux persistence systemd
{
	meta:
		description = "systemd unit whose Exec*= line downloads with curl/wget into a shell or interpreter, or decodes base64 into a shell"
		reference = "https://attack.mitre.org/techniques/T1543/002/"
		date = "2026-12-06"
		score = 80
		family = "linux-persistence"
		author = "irkit"

	strings:
		$unit = "[Service]"
		$exec_dl = /(^|\n)[ \t]*Exec(Start|StartPre|StartPost|Reload|Stop|StopPost)=[^\n]*(c[u]rl|w[g]et)[ \t][^\n|;&]*((\|sh|\| sh|\|bash|\| ba[s]h|\|dash|\| da[s]h|\|zsh|\| zsh|\|ksh|\| ksh|\|ash|\| ash|\|perl|\| pe[r]l)\b|(\|python|\| py[t]hon)[0-9.]*[ \t]+-([ \t]|\n|$)|(\|\/usr|\| \/us[r]|\|\/bin|\| \/bi[n])(\/local)?(\/bin)?\/((ba|da|z|k|a)?sh|python[0-9.]*[ \t]+-([ \t]|\n|$)|perl)\b|(\|sudo|\| su[d]o|\|env|\| env|\|busybox|\| bu[s]ybox)([ \t]+(-[A-Za-z]+|sudo|env|busybox))*[ \t]+((\/usr)?(\/local)?\/bin\/)?((ba|da|z|k|a)?sh|python[0-9.]*[ \t]+-([ \t]|\n|$)|perl)\b|(\|\t|\|  )[ \t]*((sudo|env|busybox)([ \t]+-[A-Za-z]+)*[ \t]+)*((\/usr)?(\/local)?\/bin\/)?((ba|da|z|k|a)?sh|python[0-9.]*[ \t]+-([ \t]|\n|$)|perl)\b)/
		$exec_b64 = /(^|\n)[ \t]*Exec(Start|StartPre|StartPost|Reload|Stop|StopPost)=[^\n]*base64[ \t]+(-d|--decode|-di)[^\n]*\|[ \t]*(ba|da|z|k)?sh\b/
		$exec_subst = /(^|\n)[ \t]*Exec(Start|StartPre|StartPost)=[^\n]*(ba|da|z)?sh[ \t]+-c[ \t]+["']?[^\n]*\$\([ \t]*(c[u]rl|w[g]et)[ \t]/

	condition:
		uint32(0) != 0x464C457F and uint32(0) != 0x41524159 and filesize < 256KB and
		$unit and any of ($exec_*)
}

rule IRK_Linux_Script_Download_Pipe_Shell : linux persistence review
{
	meta:
		description = "Review: text that runs a curl/wget download in a shell or interpreter: piped into sh/bash (also through env, busybox, sudo, a line continuation), into python/perl reading stdin, evaluated from a command substitution, sourced from a process substitution, or saved with -o then made executable or run; vendor installers do this too"
		reference = "https://attack.mitre.org/techniques/T1105/"
		date = "2026-12-06"
		score = 55
		family = "linux-persistence"
		author = "irkit"

	strings:
		$pipe = /(c[u]rl|w[g]et)[ \t][^\n|;&]*((\|sh|\| sh|\|bash|\| ba[s]h|\|dash|\| da[s]h|\|zsh|\| zsh|\|ksh|\| ksh|\|ash|\| ash|\|perl|\| pe[r]l)\b|(\|python|\| py[t]hon)[0-9.]*[ \t]+-([ \t]|\n|$)|(\|\/usr|\| \/us[r]|\|\/bin|\| \/bi[n])(\/local)?(\/bin)?\/((ba|da|z|k|a)?sh|python[0-9.]*[ \t]+-([ \t]|\n|$)|perl)\b|(\|sudo|\| su[d]o|\|env|\| env|\|busybox|\| bu[s]ybox)([ \t]+(-[A-Za-z]+|sudo|env|busybox))*[ \t]+((\/usr)?(\/local)?\/bin\/)?((ba|da|z|k|a)?sh|python[0-9.]*[ \t]+-([ \t]|\n|$)|perl)\b|(\|\t|\|  )[ \t]*((sudo|env|busybox)([ \t]+-[A-Za-z]+)*[ \t]+)*((\/usr)?(\/local)?\/bin\/)?((ba|da|z|k|a)?sh|python[0-9.]*[ \t]+-([ \t]|\n|$)|perl)\b)/
		$cont = /(c[u]rl|w[g]et)[ \t][^\n|;&]*\\\n[ \t]*((\|sh|\| sh|\|bash|\| ba[s]h|\|dash|\| da[s]h|\|zsh|\| zsh|\|ksh|\| ksh|\|ash|\| ash|\|perl|\| pe[r]l)\b|(\|python|\| py[t]hon)[0-9.]*[ \t]+-([ \t]|\n|$)|(\|\/usr|\| \/us[r]|\|\/bin|\| \/bi[n])(\/local)?(\/bin)?\/((ba|da|z|k|a)?sh|python[0-9.]*[ \t]+-([ \t]|\n|$)|perl)\b|(\|sudo|\| su[d]o|\|env|\| env|\|busybox|\| bu[s]ybox)([ \t]+(-[A-Za-z]+|sudo|env|busybox))*[ \t]+((\/usr)?(\/local)?\/bin\/)?((ba|da|z|k|a)?sh|python[0-9.]*[ \t]+-([ \t]|\n|$)|perl)\b|(\|\t|\|  )[ \t]*((sudo|env|busybox)([ \t]+-[A-Za-z]+)*[ \t]+)*((\/usr)?(\/local)?\/bin\/)?((ba|da|z|k|a)?sh|python[0-9.]*[ \t]+-([ \t]|\n|$)|perl)\b)/
		$subst = /(eval|sh[ \t]+-c)[ \t]+["']?\$\([ \t]*(c[u]rl|w[g]et)[ \t]/
		$procsub = /(source|\.|sh)[ \t]+(<[ \t]*)?<\([ \t]*(c[u]rl|w[g]et)[ \t]/
		$to_file = /(c[u]rl|w[g]et)([ \t][^\n]*)?[ \t]-[oO][^\n]*((&&chmod|&& ch[m]od|;chmod|; ch[m]od)[ \t]+(\+x|[0-7]{3,4})[ \t]|(&&sudo|&& su[d]o|;sudo|; su[d]o)[ \t]+(ba|da|z|k)?sh[ \t]+[^\n-]|(&&sh|&& sh|;sh|; sh|&&bash|&& ba[s]h|;bash|; ba[s]h|&&dash|&& da[s]h|;dash|; da[s]h|&&zsh|&& zs[h]|;zsh|; zs[h]|&&ksh|&& ks[h]|;ksh|; ks[h])[ \t]+[^\n-]|(&&\.\/|&& \.\/|;\.\/|; \.\/)|(&&\t|;\t|&&  |;  )[ \t]*(chmod[ \t]+(\+x|[0-7]{3,4})[ \t]|(sudo[ \t]+)?(ba|da|z|k)?sh[ \t]+[^\n-]|\.\/))/

	condition:
		uint32(0) != 0x464C457F and uint32(0) != 0x41524159 and filesize < 2MB and
		any of them
}

rule IRK_Linux_Download_Exec_Raw_Host : linux persistence
{
	meta:
		description = "A download run in a shell or interpreter from a raw IPv4 address, over plain http:// or from a scheme-less host/path: forms vendor installers, which publish https:// URLs, do not use"
		reference = "https://attack.mitre.org/techniques/T1105/"
		date = "2026-12-06"
		score = 75
		family = "linux-persistence"
		author = "irkit"

	strings:
		$ip = /(c[u]rl|w[g]et)[ \t][^\n|;&]*[ \t"'\/]([0-9]{1,3}\.){3}[0-9]{1,3}[:\/][^\n|;&]*((\|sh|\| sh|\|bash|\| ba[s]h|\|dash|\| da[s]h|\|zsh|\| zsh|\|ksh|\| ksh|\|ash|\| ash|\|perl|\| pe[r]l)\b|(\|python|\| py[t]hon)[0-9.]*[ \t]+-([ \t]|\n|$)|(\|\/usr|\| \/us[r]|\|\/bin|\| \/bi[n])(\/local)?(\/bin)?\/((ba|da|z|k|a)?sh|python[0-9.]*[ \t]+-([ \t]|\n|$)|perl)\b|(\|sudo|\| su[d]o|\|env|\| env|\|busybox|\| bu[s]ybox)([ \t]+(-[A-Za-z]+|sudo|env|busybox))*[ \t]+((\/usr)?(\/local)?\/bin\/)?((ba|da|z|k|a)?sh|python[0-9.]*[ \t]+-([ \t]|\n|$)|perl)\b|(\|\t|\|  )[ \t]*((sudo|env|busybox)([ \t]+-[A-Za-z]+)*[ \t]+)*((\/usr)?(\/local)?\/bin\/)?((ba|da|z|k|a)?sh|python[0-9.]*[ \t]+-([ \t]|\n|$)|perl)\b)/
		$http = /(c[u]rl|w[g]et)[ \t][^\n|;&]*http:\/\/[^\n|;&]*((\|sh|\| sh|\|bash|\| ba[s]h|\|dash|\| da[s]h|\|zsh|\| zsh|\|ksh|\| ksh|\|ash|\| ash|\|perl|\| pe[r]l)\b|(\|python|\| py[t]hon)[0-9.]*[ \t]+-([ \t]|\n|$)|(\|\/usr|\| \/us[r]|\|\/bin|\| \/bi[n])(\/local)?(\/bin)?\/((ba|da|z|k|a)?sh|python[0-9.]*[ \t]+-([ \t]|\n|$)|perl)\b|(\|sudo|\| su[d]o|\|env|\| env|\|busybox|\| bu[s]ybox)([ \t]+(-[A-Za-z]+|sudo|env|busybox))*[ \t]+((\/usr)?(\/local)?\/bin\/)?((ba|da|z|k|a)?sh|python[0-9.]*[ \t]+-([ \t]|\n|$)|perl)\b|(\|\t|\|  )[ \t]*((sudo|env|busybox)([ \t]+-[A-Za-z]+)*[ \t]+)*((\/usr)?(\/local)?\/bin\/)?((ba|da|z|k|a)?sh|python[0-9.]*[ \t]+-([ \t]|\n|$)|perl)\b)/
		// a line continuation before the pipe
		$http_cont = /http:\/\/[^\n|;&]*\\\n[ \t]*((\|sh|\| sh|\|bash|\| ba[s]h|\|dash|\| da[s]h|\|zsh|\| zsh|\|ksh|\| ksh|\|ash|\| ash|\|perl|\| pe[r]l)\b|(\|python|\| py[t]hon)[0-9.]*[ \t]+-([ \t]|\n|$)|(\|\/usr|\| \/us[r]|\|\/bin|\| \/bi[n])(\/local)?(\/bin)?\/((ba|da|z|k|a)?sh|python[0-9.]*[ \t]+-([ \t]|\n|$)|perl)\b|(\|sudo|\| su[d]o|\|env|\| env|\|busybox|\| bu[s]ybox)([ \t]+(-[A-Za-z]+|sudo|env|busybox))*[ \t]+((\/usr)?(\/local)?\/bin\/)?((ba|da|z|k|a)?sh|python[0-9.]*[ \t]+-([ \t]|\n|$)|perl)\b|(\|\t|\|  )[ \t]*((sudo|env|busybox)([ \t]+-[A-Za-z]+)*[ \t]+)*((\/usr)?(\/local)?\/bin\/)?((ba|da|z|k|a)?sh|python[0-9.]*[ \t]+-([ \t]|\n|$)|perl)\b)/
		$noscheme = /(c[u]rl|w[g]et)([ \t]+-[A-Za-z\-]+)*[ \t]+["']?[a-z0-9\-]+(\.[a-z0-9\-]+)+(:[0-9]{1,5})?\/[^\n|;&]*((\|sh|\| sh|\|bash|\| ba[s]h|\|dash|\| da[s]h|\|zsh|\| zsh|\|ksh|\| ksh|\|ash|\| ash|\|perl|\| pe[r]l)\b|(\|python|\| py[t]hon)[0-9.]*[ \t]+-([ \t]|\n|$)|(\|\/usr|\| \/us[r]|\|\/bin|\| \/bi[n])(\/local)?(\/bin)?\/((ba|da|z|k|a)?sh|python[0-9.]*[ \t]+-([ \t]|\n|$)|perl)\b|(\|sudo|\| su[d]o|\|env|\| env|\|busybox|\| bu[s]ybox)([ \t]+(-[A-Za-z]+|sudo|env|busybox))*[ \t]+((\/usr)?(\/local)?\/bin\/)?((ba|da|z|k|a)?sh|python[0-9.]*[ \t]+-([ \t]|\n|$)|perl)\b|(\|\t|\|  )[ \t]*((sudo|env|busybox)([ \t]+-[A-Za-z]+)*[ \t]+)*((\/usr)?(\/local)?\/bin\/)?((ba|da|z|k|a)?sh|python[0-9.]*[ \t]+-([ \t]|\n|$)|perl)\b)/
		$subst = /(eval|source|sh)[ \t]+(-c[ \t]+)?["']?(\$|<[ \t]*<|<)\([ \t]*(c[u]rl|w[g]et)[ \t][^\n)]*http:\/\//

	condition:
		uint32(0) != 0x464C457F and uint32(0) != 0x41524159 and filesize < 2MB and
		any of them
}

rule IRK_Linux_Base64_Decode_To_Shell : linux persistence
{
	meta:
		description = "Base64 text decoded straight into a shell (echo <blob> | base64 -d | sh, sh -c \"$(echo <blob> | base64 -d)\")"
		reference = "https://attack.mitre.org/techniques/T1140/"
		date = "2026-11-21"
		score = 70
		family = "linux-persistence"
		author = "irkit"

	strings:
		$pipe = /(echo|printf)[ \t]+(-[neE]+[ \t]+)?["']?[A-Za-z0-9+\/]{16,}={0,2}["']?[ \t]*\|[ \t]*base64[ \t]+(-d|--decode|-di|-D)[ \t]*\|[ \t]*(sudo[ \t]+)?(\/usr)?(\/bin\/)?(ba|da|z|k)?sh\b/
		$subst = /(ba|da|z)?sh[ \t]+-c[ \t]+["']?\$\([ \t]*(echo|printf)[ \t]+["']?[A-Za-z0-9+\/]{16,}={0,2}["']?[ \t]*\|[ \t]*base64[ \t]+(-d|--decode|-di|-D)/
		$herestr = /base64[ \t]+(-d|--decode|-di|-D)[ \t]*<<<[ \t]*["']?[A-Za-z0-9+\/]{16,}={0,2}["']?[ \t]*\|[ \t]*(ba|da|z|k)?sh\b/

	condition:
		uint32(0) != 0x464C457F and filesize < 2MB and
		any of them
}

rule IRK_Linux_Reverse_Shell_DevTcp : linux reverse_shell
{
	meta:
		description = "Interactive shell redirected to /dev/tcp|udp/<literal host>/<port> (an interactive shell or an exec of a 1-3 digit descriptor onto a /dev/tcp path) in a script/config, not in the bash binary; loopback hosts (127.0.0.0/8, ::1, localhost) are health checks, not reverse shells"
		reference = "https://attack.mitre.org/techniques/T1059/004/"
		date = "2026-12-06"
		score = 85
		family = "linux-persistence"
		author = "irkit"

	strings:
		// Each pattern has a twin for loopback hosts that starts at the
		// same byte: more matches of a pattern than of its twin means at
		// least one connection goes elsewhere.  No separate exclusion
		// string, so adding a loopback line does not hide a real one.
		$shell_redir = /sh[ \t]+-i[ \t]+[0-9]{0,3}(>&|&>|>|<>)[ \t]*\/dev\/(tcp|udp)\/[A-Za-z0-9.:\-]{1,100}\/[0-9]{1,5}/
		$shell_redir_lo = /sh[ \t]+-i[ \t]+[0-9]{0,3}(>&|&>|>|<>)[ \t]*\/dev\/(tcp|udp)\/(127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}|localhost|::1|0:0:0:0:0:0:0:1)\/[0-9]{1,5}/
		$exec_fd = /exec[ \t]+[0-9]{1,3}<>[ \t]*\/dev\/(tcp|udp)\/[A-Za-z0-9.:\-]{1,100}\/[0-9]{1,5}/
		$exec_fd_lo = /exec[ \t]+[0-9]{1,3}<>[ \t]*\/dev\/(tcp|udp)\/(127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}|localhost|::1|0:0:0:0:0:0:0:1)\/[0-9]{1,5}/
		$redir_back = /[<>]&?[ \t]*\/dev\/(tcp|udp)\/([0-9]{1,3}\.){3}[0-9]{1,3}\/[0-9]{1,5}[ \t]+0>&1/
		$redir_back_lo = /[<>]&?[ \t]*\/dev\/(tcp|udp)\/127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\/[0-9]{1,5}[ \t]+0>&1/

	condition:
		uint32(0) != 0x464C457F and uint32(0) != 0x41524159 and filesize < 2MB and
		(#shell_redir > #shell_redir_lo or #exec_fd > #exec_fd_lo or
		 #redir_back > #redir_back_lo)
}

rule IRK_Linux_Reverse_Shell_Tools : linux reverse_shell
{
	meta:
		description = "Reverse shell via netcat -e (with or without a path), socat exec:/system:, mkfifo/mknod + nc relays, or python/perl/php socket one-liners, to a host that is not loopback"
		reference = "https://attack.mitre.org/techniques/T1059/004/"
		date = "2026-12-06"
		score = 80
		family = "linux-persistence"
		author = "irkit"

	strings:
		// twins for loopback hosts as in IRK_Linux_Reverse_Shell_DevTcp
		$nc_e = /\bn(c|cat)(\.traditional|\.openbsd)?[ \t]+(-[a-zA-Z]+[ \t]+)*(-e \/[u]sr\/bin\/(ba|da|z|k)?sh\b|-e \/[b]in\/(ba|da|z|k)?sh\b|-e\/[u]sr\/bin\/(ba|da|z|k)?sh\b|-e\/bin\/(ba|da|z|k)?sh\b|-e sh\b|-e ba[s]h\b|-e da[s]h\b|-e zsh\b|-e ksh\b|-e '\/(usr\/)?bin\/(ba|da|z|k)?sh\b|-e "\/(usr\/)?bin\/(ba|da|z|k)?sh\b|-c \/[u]sr\/bin\/(ba|da|z|k)?sh\b|-c \/[b]in\/(ba|da|z|k)?sh\b|-c\/[u]sr\/bin\/(ba|da|z|k)?sh\b|-c\/bin\/(ba|da|z|k)?sh\b|-c sh\b|-c ba[s]h\b|-c da[s]h\b|-c zsh\b|-c ksh\b|-c '\/(usr\/)?bin\/(ba|da|z|k)?sh\b|-c "\/(usr\/)?bin\/(ba|da|z|k)?sh\b)[ \t]+(-[a-zA-Z]+[ \t]+)*[A-Za-z0-9.:\-]{1,100}[ \t]+[0-9]{1,5}/
		$nc_e_lo = /\bn(c|cat)(\.traditional|\.openbsd)?[ \t]+(-[a-zA-Z]+[ \t]+)*(-e \/[u]sr\/bin\/(ba|da|z|k)?sh\b|-e \/[b]in\/(ba|da|z|k)?sh\b|-e\/[u]sr\/bin\/(ba|da|z|k)?sh\b|-e\/bin\/(ba|da|z|k)?sh\b|-e sh\b|-e ba[s]h\b|-e da[s]h\b|-e zsh\b|-e ksh\b|-e '\/(usr\/)?bin\/(ba|da|z|k)?sh\b|-e "\/(usr\/)?bin\/(ba|da|z|k)?sh\b|-c \/[u]sr\/bin\/(ba|da|z|k)?sh\b|-c \/[b]in\/(ba|da|z|k)?sh\b|-c\/[u]sr\/bin\/(ba|da|z|k)?sh\b|-c\/bin\/(ba|da|z|k)?sh\b|-c sh\b|-c ba[s]h\b|-c da[s]h\b|-c zsh\b|-c ksh\b|-c '\/(usr\/)?bin\/(ba|da|z|k)?sh\b|-c "\/(usr\/)?bin\/(ba|da|z|k)?sh\b)[ \t]+(-[a-zA-Z]+[ \t]+)*(127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}|localhost|::1|0:0:0:0:0:0:0:1)[ \t]+[0-9]{1,5}/
		$nc_host_e = /\bn(c|cat)(\.traditional|\.openbsd)?[ \t]+(-[a-zA-Z]+[ \t]+)*[A-Za-z0-9.:\-]{1,100}[ \t]+[0-9]{1,5}[ \t]+(-[a-zA-Z]+[ \t]+)*(-e \/[u]sr\/bin\/(ba|da|z|k)?sh\b|-e \/[b]in\/(ba|da|z|k)?sh\b|-e\/[u]sr\/bin\/(ba|da|z|k)?sh\b|-e\/bin\/(ba|da|z|k)?sh\b|-e sh\b|-e ba[s]h\b|-e da[s]h\b|-e zsh\b|-e ksh\b|-e '\/(usr\/)?bin\/(ba|da|z|k)?sh\b|-e "\/(usr\/)?bin\/(ba|da|z|k)?sh\b|-c \/[u]sr\/bin\/(ba|da|z|k)?sh\b|-c \/[b]in\/(ba|da|z|k)?sh\b|-c\/[u]sr\/bin\/(ba|da|z|k)?sh\b|-c\/bin\/(ba|da|z|k)?sh\b|-c sh\b|-c ba[s]h\b|-c da[s]h\b|-c zsh\b|-c ksh\b|-c '\/(usr\/)?bin\/(ba|da|z|k)?sh\b|-c "\/(usr\/)?bin\/(ba|da|z|k)?sh\b)/
		$nc_host_e_lo = /\bn(c|cat)(\.traditional|\.openbsd)?[ \t]+(-[a-zA-Z]+[ \t]+)*(127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}|localhost|::1|0:0:0:0:0:0:0:1)[ \t]+[0-9]{1,5}[ \t]+(-[a-zA-Z]+[ \t]+)*(-e \/[u]sr\/bin\/(ba|da|z|k)?sh\b|-e \/[b]in\/(ba|da|z|k)?sh\b|-e\/[u]sr\/bin\/(ba|da|z|k)?sh\b|-e\/bin\/(ba|da|z|k)?sh\b|-e sh\b|-e ba[s]h\b|-e da[s]h\b|-e zsh\b|-e ksh\b|-e '\/(usr\/)?bin\/(ba|da|z|k)?sh\b|-e "\/(usr\/)?bin\/(ba|da|z|k)?sh\b|-c \/[u]sr\/bin\/(ba|da|z|k)?sh\b|-c \/[b]in\/(ba|da|z|k)?sh\b|-c\/[u]sr\/bin\/(ba|da|z|k)?sh\b|-c\/bin\/(ba|da|z|k)?sh\b|-c sh\b|-c ba[s]h\b|-c da[s]h\b|-c zsh\b|-c ksh\b|-c '\/(usr\/)?bin\/(ba|da|z|k)?sh\b|-c "\/(usr\/)?bin\/(ba|da|z|k)?sh\b)/
		$socat_sh_tcp = /socat[ \t][^\n]*(exec|system):["\']?(\/usr)?(\/bin\/)?(ba|da|z|k)?sh\b[^\n]*(tcp[46]?|tcp-connect|ssl|openssl|openssl-connect):[A-Za-z0-9.:\-]{1,100}:[0-9]{1,5}/ nocase
		$socat_sh_tcp_lo = /socat[ \t][^\n]*(exec|system):["\']?(\/usr)?(\/bin\/)?(ba|da|z|k)?sh\b[^\n]*(tcp[46]?|tcp-connect|ssl|openssl|openssl-connect):(127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}|localhost|::1|0:0:0:0:0:0:0:1):[0-9]{1,5}/ nocase
		$socat_tcp_sh = /socat[ \t][^\n]*(tcp[46]?|tcp-connect|ssl|openssl|openssl-connect):[A-Za-z0-9.:\-]{1,100}:[0-9]{1,5}[^\n]*(exec|system):["\']?(\/usr)?(\/bin\/)?(ba|da|z|k)?sh\b/ nocase
		$socat_tcp_sh_lo = /socat[ \t][^\n]*(tcp[46]?|tcp-connect|ssl|openssl|openssl-connect):(127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}|localhost|::1|0:0:0:0:0:0:0:1):[0-9]{1,5}[^\n]*(exec|system):["\']?(\/usr)?(\/bin\/)?(ba|da|z|k)?sh\b/ nocase
		$fifo_sh_nc = /(mkfifo|mknod)[ \t][^\n]*\|[ \t]*["\']?(\/usr)?(\/bin\/)?(ba|da|z|k)?sh\b[^\n]*\|[ \t]*n(c|cat)[ \t]+(-[a-zA-Z]+[ \t]+)*[A-Za-z0-9.:\-]{1,100}[ \t]+[0-9]{1,5}/
		$fifo_sh_nc_lo = /(mkfifo|mknod)[ \t][^\n]*\|[ \t]*["\']?(\/usr)?(\/bin\/)?(ba|da|z|k)?sh\b[^\n]*\|[ \t]*n(c|cat)[ \t]+(-[a-zA-Z]+[ \t]+)*(127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}|localhost|::1|0:0:0:0:0:0:0:1)[ \t]+[0-9]{1,5}/
		$fifo_nc_sh = /(mkfifo|mknod)[ \t][^\n]*\bn(c|cat)[ \t]+(-[a-zA-Z]+[ \t]+)*[A-Za-z0-9.:\-]{1,100}[ \t]+[0-9]{1,5}[^\n|]*\|[ \t]*["\']?(\/usr)?(\/bin\/)?(ba|da|z|k)?sh\b/
		$fifo_nc_sh_lo = /(mkfifo|mknod)[ \t][^\n]*\bn(c|cat)[ \t]+(-[a-zA-Z]+[ \t]+)*(127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}|localhost|::1|0:0:0:0:0:0:0:1)[ \t]+[0-9]{1,5}[^\n|]*\|[ \t]*["\']?(\/usr)?(\/bin\/)?(ba|da|z|k)?sh\b/
		$py = /socket\.socket\([^\n]*\.connect\(\([ \t]*["'][A-Za-z0-9.:\-]{1,100}["'][^\n]*(os\.dup2|pty\.spawn|subprocess\.call)/
		$py_lo = /socket\.socket\([^\n]*\.connect\(\([ \t]*["'](127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}|localhost|::1|0:0:0:0:0:0:0:1)["'][^\n]*(os\.dup2|pty\.spawn|subprocess\.call)/
		$pl = /use[ \t]+Socket;[^\n]*inet_aton\([ \t]*["']?[A-Za-z0-9.:\-]{1,100}["']?[ \t]*\)[^\n]*(open\(STDIN|exec\()/
		$pl_lo = /use[ \t]+Socket;[^\n]*inet_aton\([ \t]*["']?(127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}|localhost|::1|0:0:0:0:0:0:0:1)["']?[ \t]*\)[^\n]*(open\(STDIN|exec\()/
		$php = /fsockopen\([ \t]*["'][A-Za-z0-9.:\-]{1,100}["'][ \t]*,[ \t]*[0-9]{1,5}[ \t]*\)[^\n]*(exec|shell_exec|system|passthru|popen|proc_open)[ \t]*\([ \t]*["'](\/usr)?(\/bin\/)?(ba|da|z|k)?sh\b/
		$php_lo = /fsockopen\([ \t]*["'](127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}|localhost|::1|0:0:0:0:0:0:0:1)["'][ \t]*,[ \t]*[0-9]{1,5}[ \t]*\)[^\n]*(exec|shell_exec|system|passthru|popen|proc_open)[ \t]*\([ \t]*["'](\/usr)?(\/bin\/)?(ba|da|z|k)?sh\b/

	condition:
		uint32(0) != 0x464C457F and uint32(0) != 0x41524159 and filesize < 2MB and
		(#nc_e > #nc_e_lo or #nc_host_e > #nc_host_e_lo or
		 #socat_sh_tcp > #socat_sh_tcp_lo or #socat_tcp_sh > #socat_tcp_sh_lo or
		 #fifo_sh_nc > #fifo_sh_nc_lo or #fifo_nc_sh > #fifo_nc_sh_lo or
		 #py > #py_lo or #pl > #pl_lo or #php > #php_lo)
}

rule IRK_Linux_LD_Preload_Hijack : linux persistence rootkit
{
	meta:
		description = "Userland-rootkit markers: a script or history writing /etc/ld.so.preload (>, >>, tee, cp, mv, install, sed -i), or LD_PRELOAD set (env file, export, unit Environment=) to a library in a temp, hidden or /run/user path, or in a home folder for units"
		reference = "https://attack.mitre.org/techniques/T1574/006/"
		date = "2026-12-06"
		score = 80
		family = "linux-persistence"
		author = "irkit"

	strings:
		$write_redir = /(>>?|>\|)[ \t]*["']?\/etc\/ld\.so\.preload/
		$write_tool = /\b(tee([ \t]+-[a-z]+)*|(cp|mv|install|ln)[ \t]+[^\n;&|]{1,200}|sed[ \t]+(-[a-zA-Z]*[ \t]+)*-[a-zA-Z]*i[^\n;&|]*)[ \t]+["']?\/etc\/ld\.so\.preload/
		$env_path = /LD_PRELOAD=["']?(\/(tmp|dev\/shm|var\/tmp|run\/user)\/|\/[^\n:"' ]*\/\.)[^\n:"' ]*\.so/
		// a unit preloading from a user's home (a developer's shell may)
		$unit_home = /(^|\n)[ \t]*Environment=["']?([A-Za-z_]+=[^ \n]*[ \t]+)*LD_PRELOAD=["']?(\/home\/|\/root\/|~\/)[^\n:"' ]*\.so/

	condition:
		uint32(0) != 0x464C457F and uint32(0) != 0x41524159 and filesize < 1MB and
		any of them
}

rule IRK_Linux_LD_Preload_File_Suspicious_Path : linux persistence rootkit
{
	meta:
		description = "Content of an ld.so.preload-style list: small text whose first entry is a shared object in a temp, shm or hidden directory"
		reference = "https://attack.mitre.org/techniques/T1574/006/"
		date = "2026-11-21"
		score = 75
		family = "linux-persistence"
		author = "irkit"

	strings:
		$entry = /^[ \t]*\/(tmp|dev\/shm|var\/tmp|run\/user|[^\n ]*\/\.)[^\n ]*\.so(\.[0-9]+)*[ \t]*(\n|$)/

	condition:
		uint32(0) != 0x464C457F and filesize < 4KB and
		$entry at 0
}
