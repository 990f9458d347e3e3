/*
 * irkit bundled detection content: traces of the SolarWinds campaign in
 * logs and scripts rather than in the malware itself (web server, DNS
 * debug and proxy logs, DNS packets, PowerShell, a build server's files).
 *
 * Written for irkit from public facts: CISA AR21-027A and Unit 42
 * (SUPERNOVA requests), FireEye (SUNBURST DNS and HTTP C2, COSMICGALE),
 * CrowdStrike (SUNSPOT mutex and log lines), Microsoft (DNS debug log
 * format), Symantec and public write-ups of Orion credential dumpers
 * (the stores they read), hashcat (its solarwinds hash format).  Values
 * that would match this file are written with escapes.
 */

rule IRK_SUPERNOVA_Web_Log_Request : supernova solarwinds webshell log
{
	meta:
		description = "Web server log (IIS W3C, Apache/nginx combined) with a request to the Orion logo image handler carrying the SUPERNOVA clazz parameter (C# source compiled and run by the web shell)"
		reference = "https://www.cisa.gov/news-events/analysis-reports/ar21-027a"
		date = "2026-12-06"
		score = 85
		family = "SUPERNOVA"
		author = "irkit"

	strings:
		// the query after '?' (combined format) or after a blank (W3C
		// cs-uri-stem cs-uri-query); clazz first or after other keys
		$req = /logoimagehandler\.ashx(\?|[ \t]+)([^ \t\r\n"]{0,2000}&)?clazz=/ ascii wide nocase

	condition:
		uint16(0) != 0x5A4D and uint32(0) != 0x41524159 and $req
}

rule IRK_SUNBURST_DNS_Debug_Log_Or_Packet : sunburst solarwinds network log
{
	meta:
		description = "A DNS name under avsvmcloud[.]com in the length-prefixed forms of a Windows DNS server debug log ((N)label(N)...(0)) or of DNS packets (pcap, memory); the DGA form <id>.appsync[-]api.<region> scores here too"
		reference = "https://www.fireeye.com/blog/threat-research/2020/12/sunburst-additional-technical-details.html"
		date = "2026-12-06"
		score = 80
		family = "SUNBURST"
		author = "irkit"

	strings:
		$debug = /\(10\)avsvmclou[d]\(3\)com\(0\)/ ascii wide nocase
		// DNS wire format: label lengths as bytes
		$wire = "\x0aavsvmcloud\x03com\x00" nocase

	condition:
		uint32(0) != 0x41524159 and any of them
}

rule IRK_SUNBURST_Proxy_SWIP_Path : sunburst solarwinds network log
{
	meta:
		description = "Proxy or web log with an HTTP URL whose path starts with /swip/ (SUNBURST's HTTP C2 mimics the Orion Improvement Program) on a host that is not SolarWinds'"
		reference = "https://www.fireeye.com/blog/threat-research/2020/12/evasive-attacker-leverages-solarwinds-supply-chain-compromises-with-sunburst-backdoor.html"
		date = "2026-12-06"
		score = 75
		family = "SUNBURST"
		author = "irkit"

	strings:
		// a twin for SolarWinds' own hosts starts at the same byte: more
		// matches of the first than of the twin means another host
		$swip = /:\/\/[A-Za-z0-9.\-]{1,200}(:[0-9]{1,5})?\/swip\// ascii wide nocase
		$swip_sw = /:\/\/([A-Za-z0-9.\-]{0,200}\.)?solarwinds\.com(:[0-9]{1,5})?\/swip\// ascii wide nocase

	condition:
		uint16(0) != 0x5A4D and uint32(0) != 0x41524159 and #swip > #swip_sw
}

rule IRK_COSMICGALE_Style_PowerShell : cosmicgale solarwinds powershell
{
	meta:
		description = "PowerShell credential theft in the manner of COSMICGALE: the Get-PassHashes routine (SAM account key and the LSA boot-key classes, or the empty LM hash as a byte array) together with event log clearing"
		reference = "https://www.fireeye.com/blog/threat-research/2020/12/evasive-attacker-leverages-solarwinds-supply-chain-compromises-with-sunburst-backdoor.html"
		date = "2026-12-06"
		score = 80
		family = "COSMICGALE"
		author = "irkit"

	strings:
		$sam = /SAM\\SAM\\Domains\\Accoun[t]/ ascii wide nocase
		$bootkey = /Control\\Lsa\\(JD|Skew1|GBG|Data)\b/ ascii wide nocase
		// aad3b435...: the LM hash of an empty password, as bytes
		$lm_empty = /\[byte\[\]\][ \t]*@?\([ \t]*0xaa[ \t]*,[ \t]*0xd3[ \t]*,[ \t]*0xb4[ \t]*,[ \t]*0x35/ ascii wide nocase
		$clear = /(wevtutil(\.exe)?[ \t]+(cl|clear-log)[ \t]|Clear-EventLog[ \t]|\[System\.Diagnostics\.Eventing\.Reader\.EventLogSession\]::GlobalSession\.ClearLog)/ ascii wide nocase

	condition:
		uint16(0) != 0x5A4D and uint32(0) != 0x41524159 and filesize < 5MB and
		$sam and ($bootkey or $lm_empty) and $clear
}

rule IRK_SUNSPOT_Build_Server_Artifacts : sunspot solarwinds
{
	meta:
		description = "SUNSPOT, the implant that swapped Orion source files during builds: its mutex names (any file: handle lists, memory, event data) or two of its log line forms (step failures, the solution directory)"
		reference = "https://www.crowdstrike.com/blog/sunspot-malware-technical-analysis/"
		date = "2026-12-06"
		score = 85
		family = "SUNSPOT"
		author = "irkit"

	strings:
		$mutex1 = /\{12d61a41\-4b74\-7610\-a4d8\-3028d2f56395\}/ ascii wide nocase
		$mutex2 = /\{56331e4d\-76a3\-0390\-a7ee\-567adf5836b7\}/ ascii wide nocase
		$log_step = /\[(ERROR|[0-9]{1,6})\] Step[0-9]{1,2}(\([^\n)]{0,300}\))? fails/ ascii wide
		$log_dir = /\[[0-9%d]{1,6}\] Solution director[y]: / ascii wide

	condition:
		uint32(0) != 0x41524159 and
		(any of ($mutex*) or (#log_step >= 2 and $log_dir))
}

/*
 * Orion's credential stores, as public write-ups of Orion credential
 * dumpers describe them (Symantec found "a credential dumper designed
 * specifically for SolarWinds Orion databases" beside Raindrop): the
 * key store file under ProgramData (KeyStorage, CryptoHelper), the
 * database connection file in the Orion folder, the database credential
 * JSON under CredentialStorage, RabbitMQ's Erlang cookie; DPAPI with a
 * fixed entropy; the "SolarWinds-Orion" certificate.  A tool that reads
 * two stores and decrypts is a dumper; Orion's own programs read them
 * too, so a PE only asks for review.
 */
rule IRK_Orion_Credential_Store_Access : solarwinds credential_access
{
	meta:
		description = "Script, text or memory naming two of Orion's credential stores (key store, database connection file, database credential JSON, Erlang cookie) and a way to decrypt them (DPAPI unprotect, Orion's fixed entropy, its certificate, the credential tables)"
		reference = "https://symantec-enterprise-blogs.security.com/blogs/threat-intelligence/solarwinds-raindrop-malware"
		date = "2026-12-06"
		score = 75
		family = "SolarWinds-credentials"
		author = "irkit"

	strings:
		$s_keystore = /CryptoHelper[\\\/]defaul[t]\.dat/ ascii wide nocase
		$s_perfmon = /SWNetPerfMon\.D[B]/ ascii wide nocase
		$s_dbcred = /SolarWindsDatabaseAccessCredential\.jso[n]/ ascii wide nocase
		$s_erlang = /RabbitMQ[\\\/]\.erlang\.cooki[e]/ ascii wide nocase
		$d_unprotect = /(CryptUnprotectDat[a]|ProtectedData[\]]?::Unprotec[t]|ProtectedData\.Unprotec[t]|Unprotect\-CmsMessag[e])/ ascii wide
		$d_entropy = /["'(,= ]2012030[9]["'), ;]/ ascii wide
		$d_cert = /CN=SolarWinds\-Orio[n]/ ascii wide nocase
		$d_sql = /(FROM|JOIN)[ \t\r\n]+(\[?dbo\]?\.)?\[?(Credential|CredentialProperty|Accounts|Key)\]?[ \t\r\n;]/ ascii wide nocase

	condition:
		uint16(0) != 0x5A4D and uint32(0) != 0x464C457F and
		uint32(0) != 0x41524159 and filesize < 20MB and
		2 of ($s_*) and 1 of ($d_*)
}

rule IRK_Orion_Credential_Store_Access_PE : solarwinds credential_access
{
	meta:
		description = "PE naming two of Orion's credential stores and a way to decrypt them: a dumper, or one of Orion's own configuration programs (check the signer); review"
		reference = "https://symantec-enterprise-blogs.security.com/blogs/threat-intelligence/solarwinds-raindrop-malware"
		date = "2026-12-06"
		score = 50
		family = "SolarWinds-credentials"
		author = "irkit"

	strings:
		$s_keystore = /CryptoHelper[\\\/]defaul[t]\.dat/ ascii wide nocase
		$s_perfmon = /SWNetPerfMon\.D[B]/ ascii wide nocase
		$s_dbcred = /SolarWindsDatabaseAccessCredential\.jso[n]/ ascii wide nocase
		$s_erlang = /RabbitMQ[\\\/]\.erlang\.cooki[e]/ ascii wide nocase
		$d_unprotect = /(CryptUnprotectDat[a]|ProtectedData|Unprotec[t])/ ascii wide
		$d_entropy = /2012030[9]/ ascii wide
		$d_cert = /CN=SolarWinds\-Orio[n]/ ascii wide nocase

	condition:
		uint16(0) == 0x5A4D and filesize < 50MB and
		2 of ($s_*) and 1 of ($d_*)
}

rule IRK_Orion_Dumped_Account_Hashes : solarwinds credential_access
{
	meta:
		description = "Orion web console account hashes written out in hashcat's solarwinds format (salt and PBKDF2 hash, or user name and hash): the output of an Orion credential dumper or a cracking job; hashcat's own modules are ELF and left out"
		reference = "https://hashcat.net/wiki/doku.php?id=example_hashes"
		date = "2026-12-06"
		score = 70
		family = "SolarWinds-credentials"
		author = "irkit"

	strings:
		$h = /\$solarwinds\$[01]\$[^$\s]{1,128}\$[A-Za-z0-9+\/]{20,400}={0,2}/ ascii wide

	condition:
		uint16(0) != 0x5A4D and uint32(0) != 0x464C457F and
		uint32(0) != 0x41524159 and filesize < 200MB and $h
}
