/*
 * irkit bundled detection content: common PHP, JSP and ASP.NET web shells
 * found in web roots the collectors copy back.  Each rule needs both the
 * server-side script marker and a code path from request input to code or
 * command execution, so ordinary templates stay silent.
 */

rule IRK_WebShell_PHP_Request_Exec : webshell php
{
	meta:
		description = "PHP script passing request input ($_GET/$_POST/$_REQUEST/$_COOKIE/$_SERVER) to eval/assert/system/passthru/shell_exec/exec/popen/proc_open, directly, called as a variable function, through a variable assigned from the request, or through call_user_func"
		reference = "https://attack.mitre.org/techniques/T1505/003/"
		date = "2026-11-21"
		score = 85
		family = "webshell"
		author = "irkit"

	strings:
		$php = "<?" ascii
		$direct = /(eval|assert|system|passthru|shell_exec|exec|popen|proc_open|pcntl_exec)[ \t]*\([ \t]*(@[ \t]*)?((base64_decode|str_rot13|gzinflate|gzuncompress|stripslashes|urldecode|rawurldecode|trim)[ \t]*\([ \t]*)*\$_(GET|POST|REQUEST|COOKIE|SERVER)[ \t]*\[/ nocase
		$backtick = /`[ \t]*\$_(GET|POST|REQUEST|COOKIE)[ \t]*\[[^\]]{1,40}\][ \t]*`/
		$preg_e = /preg_replace[ \t]*\([ \t]*["']\/[^\n]{0,100}\/[a-zA-Z]*e[a-zA-Z]*["'][ \t]*,[^;]{0,200}\$_(GET|POST|\$_(GET|POST|REQUEST|COOKIE)[ \t]*\[UEST|COOKIE)/
		// a request value called as a function
		$varfunc = /\$_(GET|POST|REQUEST|COOKIE)[ \t]*\[[^\]]{1,40}\][ \t]*\([ \t]*(@[ \t]*)?\$_(GET|POST|REQUEST|COOKIE)[ \t]*\[/
		// a variable assigned from the request, then run a few lines on
		$indirect = /\$[A-Za-z_][A-Za-z0-9_]{0,30}[ \t]*=[ \t]*(@[ \t]*)?\$_(GET|POST|REQUEST|COOKIE)[ \t]*\[[^\]]{1,40}\][ \t]*;[^\n]{0,10}(\n[^\n]{0,200}){0,5}\b(eval|assert|system|passthru|shell_exec|popen|proc_open|pcntl_exec)[ \t]*\([ \t]*\$[A-Za-z_]/
		$callback = /call_user_func(_array)?[ \t]*\([ \t]*(\$_(GET|POST|REQUEST|COOKIE)[ \t]*\[|["'](system|passthru|shell_exec|exec|assert|popen|proc_open)["'][ \t]*,[^;\n]{0,40}\$_(GET|POST|REQUEST|COOKIE)[ \t]*\[)/ nocase

	condition:
		uint32(0) != 0x464C457F and uint32(0) != 0x41524159 and uint16(0) != 0x5A4D and filesize < 2MB and
		$php and any of ($direct, $backtick, $preg_e, $varfunc, $indirect, $callback)
}

rule IRK_WebShell_PHP_Obfuscated_Eval : webshell php
{
	meta:
		description = "PHP script evaluating an inline encoded payload: eval/assert of one or more layers of gzinflate|gzuncompress|str_rot13|base64_decode over an inline blob of 200+ characters"
		reference = "https://attack.mitre.org/techniques/T1505/003/"
		date = "2026-11-21"
		score = 70
		family = "webshell"
		author = "irkit"

	strings:
		$php = "<?" ascii
		$ev = /(eval|assert)[ \t]*\([ \t]*((gzinflate|gzuncompress|gzdecode|str_rot13|strrev|base64_decode)[ \t]*\([ \t]*){1,4}["'][A-Za-z0-9+\/=]{200,}/ nocase

	condition:
		uint32(0) != 0x464C457F and uint32(0) != 0x41524159 and uint16(0) != 0x5A4D and filesize < 5MB and
		$php and $ev
}

rule IRK_WebShell_JSP_Runtime_Exec : webshell jsp
{
	meta:
		description = "JSP or JSPX (<jsp:scriptlet>) page running request parameters as OS commands: Runtime.getRuntime().exec / ProcessBuilder fed by request.getParameter, output read back with getInputStream"
		reference = "https://attack.mitre.org/techniques/T1505/003/"
		date = "2026-11-21"
		score = 85
		family = "webshell"
		author = "irkit"

	strings:
		$jsp = "<%" ascii
		$jspx = /<jsp:(s)criptlet>/
		$rt = /Runtime\.getRuntime\(\)\.exec\([ \t]*(new[ \t]+String[ \t]*\[\][ \t]*\{[^}]{0,100})?request\.getParameter\(/
		$exec = /Runtime\.getRuntime\(\)\.exec\(/
		$param = /request\.getParameter\(/
		$out = /\.getInputStream\(\)/
		$pb = /new[ \t]+ProcessBuilder\([^\n]{0,200}request\.getParameter\(/

	condition:
		uint32(0) != 0x41524159 and uint32(0) != 0xBEBAFECA and uint32(0) != 0x04034B50 and filesize < 1MB and
		($jsp or $jspx) and ($rt or $pb or ($exec and $param and $out))
}

rule IRK_WebShell_ASPX_Request_Exec : webshell aspx
{
	meta:
		description = "ASP/ASP.NET page evaluating request input (China Chopper style eval of a Request item with \"unsafe\", classic ASP eval/execute of request data) or starting cmd.exe/powershell with request data (Process.Start of cmd.exe with Request data)"
		reference = "https://attack.mitre.org/techniques/T1505/003/"
		date = "2026-11-21"
		score = 85
		family = "webshell"
		author = "irkit"

	strings:
		$asp = "<%" ascii
		$chopper = /eval[ \t]*\([ \t]*Request(\.Item|\.Form|\.QueryString)?[ \t]*\[[^\]]{1,40}\][ \t]*(,[ \t]*["']unsafe["'])?/ nocase
		$asp_eval = /\b(eval|execute(global)?)[ \t]*\(?[ \t]*request(\.item|\.form|\.querystring)?[ \t]*[\(\[]/ nocase
		$start_cmd = /Process\.Start[ \t]*\([ \t]*"(cmd|powershell)(\.exe)?"[ \t]*,[^;]{0,200}Request(\.Form|\.QueryString|\.Item|\.Params)?[ \t]*[\[\(]/ nocase
		$psi = /Process(S)tartInfo[^\n]{0,200}(cmd\.exe|powershell)/ nocase
		$req = /Request(\.Form|\.QueryString|\.Item)?[ \t]*\[/
		$start = /Process\.Start/ nocase

	condition:
		uint16(0) != 0x5A4D and uint32(0) != 0x41524159 and filesize < 1MB and
		$asp and ($chopper or $asp_eval or $start_cmd or ($psi and $req and $start))
}
