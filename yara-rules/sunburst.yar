/*
 * irkit bundled detection content: SUNBURST (trojanized
 * SolarWinds.Orion.Core.BusinessLayer.dll, campaign UNC2452 / NOBELIUM).
 *
 * Written for irkit from public facts (FireEye/Mandiant, Microsoft,
 * CISA AA20-352A).  Every rule is exercised by a generated fixture in
 * tests/gen/yara_fixtures.py and by tests/e2e/rules.bats.
 *
 * Encoded strings: SUNBURST keeps most of its literals as
 * base64(raw DEFLATE(text)); .NET stores user strings in UTF-16LE, hence
 * "wide".  The forms below were computed with python zlib (wbits=-15,
 * level 9) and match the values quoted in the public analyses.
 *
 * No rule may match this file: the decoded values are written as regexes
 * with escapes or a one-character class ([h]), and comments name them
 * defanged (avsvmcloud[.]com).
 */

rule IRK_SUNBURST_DotNet_Names : sunburst solarwinds
{
	meta:
		description = "SUNBURST backdoor class and method names in a .NET PE (the backdoor class plus several of its methods/helpers)"
		reference = "https://www.fireeye.com/blog/threat-research/2020/12/evasive-attacker-leverages-solarwinds-supply-chain-compromises-with-sunburst-backdoor.html"
		date = "2026-11-21"
		score = 90
		family = "SUNBURST"
		author = "irkit"

	strings:
		$cls = /OrionImprovementBusinessLaye[r]/ ascii fullword
		$m1 = /ExecuteEngin[e]/ ascii fullword
		$m2 = /ParseServiceRespons[e]/ ascii fullword
		$m3 = /RunTas[k]/ ascii fullword
		$m4 = /CreateUploadReques[t]/ ascii fullword
		$m5 = /GetOrCreateUserI[D]/ ascii fullword
		$m6 = /ZipHelpe[r]/ ascii fullword
		$m7 = /CryptoHelpe[r]/ ascii fullword
		$m8 = /ReportWatcherRetr[y]/ ascii wide fullword
		$m9 = /UpdateNotificatio[n]/ ascii fullword

	condition:
		uint16(0) == 0x5A4D and filesize < 20MB and
		uint32(uint32(0x3C)) == 0x00004550 and
		$cls and 4 of ($m*)
}

rule IRK_SUNBURST_Deflate_Base64_Strings : sunburst solarwinds
{
	meta:
		description = "SUNBURST literals stored as UTF-16 base64(raw DEFLATE): C2 host parts, config keys, pipe GUID, DGA alphabets, WMI query"
		reference = "https://cloud.google.com/blog/topics/threat-intelligence/sunburst-additional-technical-details"
		date = "2026-11-21"
		score = 95
		family = "SUNBURST"
		author = "irkit"

	strings:
		$e_retry = "C0otyC8qCU8sSc5ILQpKLSmqBAA=" wide                  // ReportWatcherRetry
		$e_postpone = "C0otyC8qCU8sSc5ILQrILy4pyM9LBQA=" wide          // ReportWatcherPostpone
		$e_avsvm = "SywrLstNzskvTdFLzs8FAA==" wide                     // avsvmcloud[.]com
		$e_appsync = "SywoKK7MS9ZNLMgEAA==" wide                       // appsync[-]api
		$e_euw1 = "Sy3VLU8tLtE1BAA=" wide                              // eu-west-1
		$e_usw2 = "Ky3WLU8tLtE1AgA=" wide                              // us-west-2
		$e_use1 = "Ky3WTU0sLtE1BAA=" wide                              // us-east-1
		$e_use2 = "Ky3WTU0sLtE1AgA=" wide                              // us-east-2
		$e_guid = "M7UwTkm0NDHVNTNKTNM1NEi10DWxNDDSTbRIMzIwTTY3SjJKBQA=" wide  // the named-pipe GUID
		$e_alpha1 = "Kyo0Ti9OzCkxKzXMrEyryi8wNTdKMbFMyquwSC7LzU4tz8gCAA==" wide  // DGA substitution alphabet
		$e_alpha2 = "K8gwSs1MyzfOMy0tSTfMskixNCksKkvKzTYoTswxN0sGAA==" wide      // DGA base-32 alphabet
		$e_alpha3 = "MzA0MjYxNTO3sExMSk5JTUvPyMzKzsnNyy8oLCouKS0rr6is0o3XAwA=" wide  // base-36 alphabet and -_.
		$e_shutdown = "C04NzigtSckvzwsoyizLzElNTwUA" wide              // SeShutdownPrivilege
		$e_wmi_nic = "C07NSU0uUdBScCvKz1UIz8wzNor3Sy0pzy/KdkxJLChJLXLOz0vLTC8tSizJzM9TKM9ILUpV8AxwzUtMyklNsS0pKk0FAA==" wide
		$e_apisw = "SyzI1CvOz0ksKs/MSynWS87PBQA=" wide                 // api.solarwinds.com

	condition:
		uint16(0) == 0x5A4D and filesize < 20MB and
		4 of ($e_*)
}

rule IRK_SUNBURST_FNV1a_XOR_Blocklist : sunburst solarwinds
{
	meta:
		description = "SUNBURST process/service/driver blocklist: 64-bit FNV-1a-then-XOR hash constants (little-endian, as ldc.i8 operands) in a PE"
		reference = "https://github.com/fireeye/sunburst_countermeasures/blob/main/fnv1a_xor_hashes.txt"
		date = "2026-11-21"
		score = 85
		family = "SUNBURST"
		author = "irkit"

	strings:
		// XOR key 6605813339339102567 applied after FNV-1a 64
		$xor_key = { 67 19 D8 A7 3B 90 AC 5B }
		// hash("solarwinds.businesslayerhost") = 17291806236368054941
		$h_host = { 9D 2A 9A F3 27 D6 F8 EF }
		$h_windefend = { C2 81 89 6C BC 1B BC 0C }     // 917638920165491138
		$h_sysmon = { 6B 87 F5 30 FC AB D5 C3 }        // 14111374107076822891
		$h_dnspy = { 40 B0 D3 21 8A 85 DC BF }         // 13825071784440082496
		$h_tanium = { BA E3 B6 48 C1 02 94 63 }        // 7175363135479931834
		$h_windbg = { 0F FA 6F C5 D1 84 45 2A }        // 3045986759481489935
		$h_ilspy = { B9 8C 2A D8 46 A4 4A 96 }         // 10829648878147112121
		$h_fakenet = { 98 F3 E4 FC 7A 96 00 08 }       // 576626207276463000
		$h_sentinel = { C9 AD C8 4E EA 54 4C AB }      // sentinelmonitor.sys 12343334044036541897
		$h_xagt = { 66 C8 8B EC 6F 0B D1 D9 }          // 15695338751700748390
		$h_ildasm = { BC 21 FF 6E F1 1F 03 DE }        // 15997665423159927228
		$h_fsorsp = { 47 DB BD 2D 96 70 81 F9 }        // 17978774977754553159
		$h_cvesys = { BB 42 C0 45 C3 52 F7 E5 }        // cve.sys 16570804352575357627
		$h_autopsy = { D9 B3 E7 5D 02 B3 EA 42 }       // 4821863173800309721

	condition:
		uint16(0) == 0x5A4D and filesize < 20MB and
		(($xor_key and 3 of ($h_*)) or 6 of ($h_*))
}

/*
 * Twins of the three rules above for memory and process dumps (MDMP) and
 * carved copies whose header is damaged or missing: no MZ condition, more
 * evidence instead, no size limit below 1 GB.  A file that is a PE is left
 * to the rules above.  The names are written with a one-character class
 * ([e]) so that this file, which has no MZ header, does not match itself.
 */

rule IRK_SUNBURST_DotNet_Names_Dump : sunburst solarwinds memory
{
	meta:
		description = "SUNBURST class and method names outside a well-formed PE (minidump, carved or damaged copy): the backdoor class and 6 of its methods/helpers"
		reference = "https://www.fireeye.com/blog/threat-research/2020/12/evasive-attacker-leverages-solarwinds-supply-chain-compromises-with-sunburst-backdoor.html"
		date = "2026-12-06"
		score = 85
		family = "SUNBURST"
		author = "irkit"

	strings:
		$cls = /OrionImprovementBusinessLaye[r]/ ascii wide fullword
		$m1 = /ExecuteEngin[e]/ ascii wide fullword
		$m2 = /ParseServiceRespons[e]/ ascii wide fullword
		$m3 = /RunTas[k]/ ascii wide fullword
		$m4 = /CreateUploadReques[t]/ ascii wide fullword
		$m5 = /GetOrCreateUserI[D]/ ascii wide fullword
		$m6 = /ZipHelpe[r]/ ascii wide fullword
		$m7 = /CryptoHelpe[r]/ ascii wide fullword
		$m8 = /ReportWatcherRetr[y]/ ascii wide fullword
		$m9 = /UpdateNotificatio[n]/ ascii wide fullword

	condition:
		not (uint16(0) == 0x5A4D and uint32(uint32(0x3C)) == 0x00004550) and
		uint32(0) != 0x41524159 and filesize < 1024MB and
		$cls and 6 of ($m*)
}

rule IRK_SUNBURST_Deflate_Base64_Dump : sunburst solarwinds memory
{
	meta:
		description = "SUNBURST UTF-16 base64(raw DEFLATE) literals outside a PE (minidump, carved or damaged copy): 6 of them"
		reference = "https://cloud.google.com/blog/topics/threat-intelligence/sunburst-additional-technical-details"
		date = "2026-12-06"
		score = 90
		family = "SUNBURST"
		author = "irkit"

	strings:
		// the same values as IRK_SUNBURST_Deflate_Base64_Strings; this
		// file holds them as ASCII, the rule looks for UTF-16
		$e_retry = "C0otyC8qCU8sSc5ILQpKLSmqBAA=" wide
		$e_postpone = "C0otyC8qCU8sSc5ILQrILy4pyM9LBQA=" wide
		$e_avsvm = "SywrLstNzskvTdFLzs8FAA==" wide
		$e_appsync = "SywoKK7MS9ZNLMgEAA==" wide
		$e_euw1 = "Sy3VLU8tLtE1BAA=" wide
		$e_usw2 = "Ky3WLU8tLtE1AgA=" wide
		$e_use1 = "Ky3WTU0sLtE1BAA=" wide
		$e_use2 = "Ky3WTU0sLtE1AgA=" wide
		$e_guid = "M7UwTkm0NDHVNTNKTNM1NEi10DWxNDDSTbRIMzIwTTY3SjJKBQA=" wide
		$e_alpha1 = "Kyo0Ti9OzCkxKzXMrEyryi8wNTdKMbFMyquwSC7LzU4tz8gCAA==" wide
		$e_alpha2 = "K8gwSs1MyzfOMy0tSTfMskixNCksKkvKzTYoTswxN0sGAA==" wide
		$e_alpha3 = "MzA0MjYxNTO3sExMSk5JTUvPyMzKzsnNyy8oLCouKS0rr6is0o3XAwA=" wide
		$e_shutdown = "C04NzigtSckvzwsoyizLzElNTwUA" wide
		$e_wmi_nic = "C07NSU0uUdBScCvKz1UIz8wzNor3Sy0pzy/KdkxJLChJLXLOz0vLTC8tSizJzM9TKM9ILUpV8AxwzUtMyklNsS0pKk0FAA==" wide
		$e_apisw = "SyzI1CvOz0ksKs/MSynWS87PBQA=" wide

	condition:
		uint16(0) != 0x5A4D and uint32(0) != 0x41524159 and filesize < 1024MB and
		6 of ($e_*)
}

rule IRK_SUNBURST_FNV1a_XOR_Dump : sunburst solarwinds memory
{
	meta:
		description = "SUNBURST FNV-1a-then-XOR blocklist constants outside a PE (minidump, carved or damaged copy): the XOR key and 5 hashes, or 8 hashes"
		reference = "https://github.com/fireeye/sunburst_countermeasures/blob/main/fnv1a_xor_hashes.txt"
		date = "2026-12-06"
		score = 80
		family = "SUNBURST"
		author = "irkit"

	strings:
		// the same constants as IRK_SUNBURST_FNV1a_XOR_Blocklist
		$xor_key = { 67 19 D8 A7 3B 90 AC 5B }
		$h_host = { 9D 2A 9A F3 27 D6 F8 EF }
		$h_windefend = { C2 81 89 6C BC 1B BC 0C }
		$h_sysmon = { 6B 87 F5 30 FC AB D5 C3 }
		$h_dnspy = { 40 B0 D3 21 8A 85 DC BF }
		$h_tanium = { BA E3 B6 48 C1 02 94 63 }
		$h_windbg = { 0F FA 6F C5 D1 84 45 2A }
		$h_ilspy = { B9 8C 2A D8 46 A4 4A 96 }
		$h_fakenet = { 98 F3 E4 FC 7A 96 00 08 }
		$h_sentinel = { C9 AD C8 4E EA 54 4C AB }
		$h_xagt = { 66 C8 8B EC 6F 0B D1 D9 }
		$h_ildasm = { BC 21 FF 6E F1 1F 03 DE }
		$h_fsorsp = { 47 DB BD 2D 96 70 81 F9 }
		$h_cvesys = { BB 42 C0 45 C3 52 F7 E5 }
		$h_autopsy = { D9 B3 E7 5D 02 B3 EA 42 }

	condition:
		uint16(0) != 0x5A4D and uint32(0) != 0x41524159 and filesize < 1024MB and
		(($xor_key and 5 of ($h_*)) or 8 of ($h_*))
}

rule IRK_SUNBURST_C2_Hostname : sunburst solarwinds network
{
	meta:
		description = "SUNBURST DGA C2 host name <encoded>.appsync[-]api.<region>.avsvmcloud[.]com in any file (DNS/proxy logs, memory, scripts)"
		reference = "https://www.cisa.gov/news-events/cybersecurity-advisories/aa20-352a"
		date = "2026-11-21"
		score = 85
		family = "SUNBURST"
		author = "irkit"

	strings:
		$host = /[a-z0-9]{4,64}\.appsync\-api\.(eu-west-1|us-west-2|us-east-1|us-east-2)\.avsvmcloud\.com/ ascii wide nocase

	condition:
		uint32(0) != 0x41524159 and $host
}

rule IRK_SUNBURST_Plain_Vocabulary : sunburst solarwinds
{
	meta:
		description = "Decoded SUNBURST vocabulary (unpacked memory, decompiled source): pipe GUID, DGA alphabets, C2 parts, class name; needs 3 incl. one C2/DGA item"
		reference = "https://www.microsoft.com/security/blog/2020/12/18/analyzing-solorigate-the-compromised-dll-file-that-started-a-sophisticated-cyberattack-and-how-microsoft-defender-helps-protect/"
		date = "2026-11-21"
		score = 80
		family = "SUNBURST"
		author = "irkit"

	strings:
		$k_guid = /583da945\-62af\-10e8\-4902\-a8f205c72b2e/ ascii wide nocase
		$k_alpha1 = /rq3gsalt6u1iyfzop572d49bnx8cvmkew[h]j/ ascii wide
		$k_alpha2 = /ph2eifo3n5utg1j8d94qrvbmk0sal7[6]c/ ascii wide
		$k_avsvm = /avsvmcloud\.com/ ascii wide nocase
		$k_appsync = /appsync\-api/ ascii wide nocase
		$o_cls = /OrionImprovementBusinessLaye[r]/ ascii wide
		$o_retry = /ReportWatcherRetr[y]/ ascii wide
		$o_postpone = /ReportWatcherPostpon[e]/ ascii wide
		$o_alpha3 = "0123456789abcdefghijklmnopqrstuvwxyz-_." ascii wide

	condition:
		uint32(0) != 0x41524159 and filesize < 50MB and
		1 of ($k_*) and 3 of them
}

rule IRK_SUNBURST_NamedPipe_GUID : sunburst solarwinds
{
	meta:
		description = "SUNBURST single-instance named pipe 583da945[-]62af-10e8-4902-a8f205c72b2e referenced as a pipe path (event logs, handle dumps, memory)"
		reference = "https://www.microsoft.com/security/blog/2020/12/18/analyzing-solorigate-the-compromised-dll-file-that-started-a-sophisticated-cyberattack-and-how-microsoft-defender-helps-protect/"
		date = "2026-11-21"
		score = 70
		family = "SUNBURST"
		author = "irkit"

	strings:
		$pipe = /\\(\\\.\\pipe\\|pipe\\|Device\\NamedPipe\\)?583da945\-62af\-10e8\-4902\-a8f205c72b2e/ ascii wide nocase

	condition:
		uint32(0) != 0x41524159 and $pipe
}
