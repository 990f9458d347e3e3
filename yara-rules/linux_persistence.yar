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
		description = "Crontab line (5-field schedule or @reboot/@hourly/...) that downloads with curl/wget and pipes into a shell or runs a decoded base64 blob"
		reference = "https://attack.mitre.org/techniques/T1053/003/"
		date = "2026-11-21"
		score = 80
		family = "linux-persistence"
		author = "irkit"

	strings:
		$sched_dl = /(^|\n)[ \t]*([0-9*\/,\-]+[ \t]+){5}([a-z_][a-z0-9_\-]*[ \t]+)?[^\n]{0,200}(curl|wget)[ \t][^\n]{0,300}\|[ \t]*(sudo[ \t]+)?(\/usr)?(\/bin\/)?(ba|da|z|k)?sh\b/
		$at_dl = /(^|\n)[ \t]*@(reboot|hourly|daily|weekly|monthly|yearly|annually|midnight)[ \t][^\n]{0,200}(curl|wget)[ \t][^\n]{0,300}\|[ \t]*(sudo[ \t]+)?(\/usr)?(\/bin\/)?(ba|da|z|k)?sh\b/
		$sched_b64 = /(^|\n)[ \t]*(([0-9*\/,\-]+[ \t]+){5}|@(reboot|hourly|daily|weekly|monthly|yearly|annually|midnight)[ \t])[^\n]{0,300}base64[ \t]+(-d|--decode|-di)[^\n]{0,40}\|[ \t]*(ba|da|z|k)?sh\b/

	condition:
		uint32(0) != 0x464C457F and filesize < 1MB and
		any of them
}

rule IRK_Linux_Systemd_Unit_Download_Execute : linux persistence systemd
{
	meta:
		description = "systemd unit whose Exec*= line downloads with curl/wget into a shell, or decodes base64 into a shell"
		reference = "https://attack.mitre.org/techniques/T1543/002/"
		date = "2026-11-21"
		score = 80
		family = "linux-persistence"
		author = "irkit"

	strings:
		$unit = "[Service]"
		$exec_dl = /(^|\n)[ \t]*Exec(Start|StartPre|StartPost|Reload|Stop|StopPost)=[^\n]{0,200}(curl|wget)[ \t][^\n]{0,300}\|[ \t]*(sudo[ \t]+)?(\/usr)?(\/bin\/)?(ba|da|z|k)?sh\b/
		$exec_b64 = /(^|\n)[ \t]*Exec(Start|StartPre|StartPost|Reload|Stop|StopPost)=[^\n]{0,300}base64[ \t]+(-d|--decode|-di)[^\n]{0,40}\|[ \t]*(ba|da|z|k)?sh\b/
		$exec_subst = /(^|\n)[ \t]*Exec(Start|StartPre|StartPost)=[^\n]{0,100}(ba|da|z)?sh[ \t]+-c[ \t]+["']?[^\n]{0,40}\$\([ \t]*(curl|wget)[ \t]/

	condition:
		uint32(0) != 0x464C457F and filesize < 256KB and
		$unit and any of ($exec_*)
}

rule IRK_Linux_Script_Download_Pipe_Shell : linux persistence
{
	meta:
		description = "Script or config that pipes a curl/wget download straight into a shell, or runs sh -c \"$(curl ...)\" / bash <(curl ...); skips HTML and Markdown documentation"
		reference = "https://attack.mitre.org/techniques/T1105/"
		date = "2026-11-21"
		score = 55
		family = "linux-persistence"
		author = "irkit"

	strings:
		$pipe = /(curl|wget)[ \t]+[^\n|;&]{0,300}(https?|ftp):\/\/[^\n|;&]{1,300}\|[ \t]*(sudo[ \t]+(-[a-zA-Z]+[ \t]+)*)?(\/usr)?(\/bin\/)?(ba|da|z|k)?sh\b/
		$subst = /(ba|da|z)?sh[ \t]+-c[ \t]+["']?\$\([ \t]*(curl|wget)[ \t]+[^\n)]{0,300}(https?|ftp):\/\//
		$procsub = /(ba|z)?sh[ \t]+<\([ \t]*(curl|wget)[ \t]+[^\n)]{0,300}(https?|ftp):\/\//
		// documentation quoting vendor install one-liners is not persistence
		$doc_fence = "\n```"
		$doc_html = /^[ \t\r\n]{0,16}<(!doctype[ \t]+html|html[ \t>])/ nocase

	condition:
		uint32(0) != 0x464C457F and filesize < 2MB and
		any of ($pipe, $subst, $procsub) and
		not $doc_fence and not $doc_html
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
		description = "Interactive shell redirected to /dev/tcp|udp/<literal host>/<port> (bash -i >& /dev/tcp/..., exec 5<>/dev/tcp/...) in a script/config, not in the bash binary"
		reference = "https://attack.mitre.org/techniques/T1059/004/"
		date = "2026-11-21"
		score = 85
		family = "linux-persistence"
		author = "irkit"

	strings:
		$shell_redir = /(ba|da|z|k)?sh[ \t]+-i[ \t]+[0-9]?(>&|&>|>|<>)[ \t]*\/dev\/(tcp|udp)\/[A-Za-z0-9.\-]+\/[0-9]{1,5}/
		$exec_fd = /exec[ \t]+[0-9]{1,2}<>[ \t]*\/dev\/(tcp|udp)\/[A-Za-z0-9.\-]+\/[0-9]{1,5}/
		$redir_back = /[<>]&?[ \t]*\/dev\/(tcp|udp)\/[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\/[0-9]{1,5}[ \t]+0>&1/

	condition:
		uint32(0) != 0x464C457F and filesize < 2MB and
		any of them
}

rule IRK_Linux_Reverse_Shell_Tools : linux reverse_shell
{
	meta:
		description = "Reverse/bind shell via netcat -e, socat exec:, mkfifo+nc relay, or python/perl socket+dup2 one-liners in a script/config"
		reference = "https://attack.mitre.org/techniques/T1059/004/"
		date = "2026-11-21"
		score = 80
		family = "linux-persistence"
		author = "irkit"

	strings:
		$nc_e = /\bn(c|cat)(\.traditional|\.openbsd)?[ \t]+[^\n|;&]{0,100}-[a-zA-Z]*[ec][ \t]*["']?\/bin\/(ba|da|z|k)?sh\b/
		$socat = /socat[ \t]+[^\n]{0,200}exec:["']?(\/usr)?(\/bin\/)?(ba|da|z|k)?sh\b/ nocase
		$fifo = /mkfifo[ \t]+[^\n;]{1,100};[^\n]{0,200}(ba|da|z)?sh[ \t]+-i[^\n]{0,200}\|[ \t]*n(c|cat)[ \t]+[^\n]{1,100}>[ \t]*[^\n]{1,100}/
		$py = /socket\.socket\([^\n]{0,300}\.connect\(\([^\n]{0,300}(os\.dup2|pty\.spawn)/
		$pl = /use[ \t]+Socket;[^\n]{0,400}connect\([^\n]{0,300}open\(STDIN/

	condition:
		uint32(0) != 0x464C457F and filesize < 2MB and
		any of them
}

rule IRK_Linux_LD_Preload_Hijack : linux persistence rootkit
{
	meta:
		description = "Userland-rootkit markers: a script writing into /etc/ld.so.preload, or LD_PRELOAD set (env file, unit Environment=, export) to a library in a temp/hidden path"
		reference = "https://attack.mitre.org/techniques/T1574/006/"
		date = "2026-11-21"
		score = 80
		family = "linux-persistence"
		author = "irkit"

	strings:
		$write_preload = /(echo|printf|cat|cp|tee)[ \t][^\n]{0,200}(>>?[ \t]*|tee[ \t]+(-a[ \t]+)?)\/etc\/ld\.so\.preload/
		$env_tmp = /LD_PRELOAD=["']?\/(tmp|dev\/shm|var\/tmp|run\/user|[^\n:"' ]{0,100}\/\.)[^\n:"' ]{0,200}\.so/
		$unit_env = /(^|\n)[ \t]*Environment=["']?LD_PRELOAD=/

	condition:
		uint32(0) != 0x464C457F and filesize < 1MB and
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
		$entry = /^[ \t]*\/(tmp|dev\/shm|var\/tmp|run\/user|[^\n ]{0,100}\/\.)[^\n ]{0,200}\.so(\.[0-9]+)*[ \t]*(\n|$)/

	condition:
		uint32(0) != 0x464C457F and filesize < 4KB and
		$entry at 0
}
