/*
 * irkit bundled detection content: network infrastructure of the
 * SolarWinds / UNC2452 campaign, as strings in any collected file (DNS,
 * proxy and firewall logs, hosts files, scripts, configs, memory).
 *
 * Sources: FireEye sunburst_countermeasures Indicator_Release_NBIs.csv
 * (SUNBURST CNAME second-stage C2 and BEACON A records) and Microsoft's
 * Solorigate-Network-Beacon hunting query (Azure Sentinel).  The same
 * values are in iocs/domains.txt and iocs/ips.txt.  The strings are regexes
 * with escaped dots so that this file does not match itself.
 */

rule IRK_SUNBURST_Stage2_C2_Domains : sunburst solarwinds network
{
	meta:
		description = "SUNBURST C2 domain avsvmcloud[.]com and the CNAME targets it handed out for HTTP C2 (freescanonline, deftsecurity, thedoccloud, websitetheme, highdatabase)"
		reference = "https://github.com/fireeye/sunburst_countermeasures/blob/main/indicator_release/Indicator_Release_NBIs.csv"
		date = "2026-11-21"
		score = 75
		family = "SUNBURST"
		author = "irkit"

	strings:
		$d1 = /avsvmcloud\.com/ ascii wide nocase fullword
		$d2 = /freescanonline\.com/ ascii wide nocase fullword
		$d3 = /deftsecurity\.com/ ascii wide nocase fullword
		$d4 = /thedoccloud\.com/ ascii wide nocase fullword
		$d5 = /websitetheme\.com/ ascii wide nocase fullword
		$d6 = /highdatabase\.com/ ascii wide nocase fullword

	condition:
		filesize < 200MB and
		// A value alone on its line (then a tab, a space, '#' or the
		// end of the line) is a list entry: an IOC or block list such as
		// iocs/*.txt, not a use of it.  Any other occurrence counts, so
		// adding list lines to a log hides nothing.
		uint32(0) != 0x41524159 and
		for any of ($d*) : ( for any i in (1 .. #) : (
			not ((@[i] == 0 or uint8(@[i] - 1) == 0x0A) and
			     (@[i] + ![i] == filesize or uint8(@[i] + ![i]) == 0x09 or
			      uint8(@[i] + ![i]) == 0x20 or uint8(@[i] + ![i]) == 0x23 or
			      uint8(@[i] + ![i]) == 0x0A or uint8(@[i] + ![i]) == 0x0D))))
}

rule IRK_BEACON_SolarWinds_Campaign_Domains : beacon solarwinds network
{
	meta:
		description = "Cobalt Strike BEACON / second-stage domains of the SolarWinds campaign (incomeupdate, databasegalore, panhardware, zupertech and the Microsoft Solorigate list)"
		reference = "https://github.com/Azure/Azure-Sentinel/blob/master/Detections/MultipleDataSources/Solorigate-Network-Beacon.yaml"
		date = "2026-11-21"
		score = 75
		family = "BEACON"
		author = "irkit"

	strings:
		$d1 = /incomeupdate\.com/ ascii wide nocase fullword
		$d2 = /databasegalore\.com/ ascii wide nocase fullword
		$d3 = /panhardware\.com/ ascii wide nocase fullword
		$d4 = /zupertech\.com/ ascii wide nocase fullword
		$d5 = /digitalcollege\.org/ ascii wide nocase fullword
		$d6 = /virtualdataserver\.com/ ascii wide nocase fullword
		$d7 = /lcomputers\.com/ ascii wide nocase fullword
		$d8 = /webcodez\.com/ ascii wide nocase fullword
		$d9 = /globalnetworkissues\.com/ ascii wide nocase fullword
		$d10 = /kubecloud\.com/ ascii wide nocase fullword
		$d11 = /seobundlekit\.com/ ascii wide nocase fullword
		$d12 = /solartrackingsystem\.net/ ascii wide nocase fullword
		$d13 = /virtualwebdata\.com/ ascii wide nocase fullword

	condition:
		filesize < 200MB and
		// A value alone on its line (then a tab, a space, '#' or the
		// end of the line) is a list entry: an IOC or block list such as
		// iocs/*.txt, not a use of it.  Any other occurrence counts, so
		// adding list lines to a log hides nothing.
		uint32(0) != 0x41524159 and
		for any of ($d*) : ( for any i in (1 .. #) : (
			not ((@[i] == 0 or uint8(@[i] - 1) == 0x0A) and
			     (@[i] + ![i] == filesize or uint8(@[i] + ![i]) == 0x09 or
			      uint8(@[i] + ![i]) == 0x20 or uint8(@[i] + ![i]) == 0x23 or
			      uint8(@[i] + ![i]) == 0x0A or uint8(@[i] + ![i]) == 0x0D))))
}

rule IRK_SolarWinds_Campaign_C2_IPs : beacon sunburst solarwinds network
{
	meta:
		description = "IPv4 addresses the SUNBURST CNAME and BEACON domains resolved to in 2019-2020 (historic; cloud addresses may since be reused, hence low score)"
		reference = "https://github.com/fireeye/sunburst_countermeasures/blob/main/indicator_release/Indicator_Release_NBIs.csv"
		date = "2026-11-21"
		score = 40
		family = "BEACON"
		author = "irkit"

	strings:
		$ip1 = /13\.59\.205\.66/ ascii wide fullword
		$ip2 = /54\.193\.127\.66/ ascii wide fullword
		$ip3 = /54\.215\.192\.52/ ascii wide fullword
		$ip4 = /34\.203\.203\.23/ ascii wide fullword
		$ip5 = /139\.99\.115\.204/ ascii wide fullword
		$ip6 = /5\.252\.177\.25/ ascii wide fullword
		$ip7 = /5\.252\.177\.21/ ascii wide fullword
		$ip8 = /204\.188\.205\.176/ ascii wide fullword
		$ip9 = /51\.89\.125\.18/ ascii wide fullword
		$ip10 = /167\.114\.213\.199/ ascii wide fullword

	condition:
		uint32(0) != 0x464C457F and filesize < 200MB and
		// A value alone on its line (then a tab, a space, '#' or the
		// end of the line) is a list entry: an IOC or block list such as
		// iocs/*.txt, not a use of it.  Any other occurrence counts, so
		// adding list lines to a log hides nothing.
		uint32(0) != 0x41524159 and
		for any of ($ip*) : ( for any i in (1 .. #) : (
			not ((@[i] == 0 or uint8(@[i] - 1) == 0x0A) and
			     (@[i] + ![i] == filesize or uint8(@[i] + ![i]) == 0x09 or
			      uint8(@[i] + ![i]) == 0x20 or uint8(@[i] + ![i]) == 0x23 or
			      uint8(@[i] + ![i]) == 0x0A or uint8(@[i] + ![i]) == 0x0D))))
}

rule IRK_BEACON_Config_Encoded : beacon cobaltstrike memory
{
	meta:
		description = "Cobalt Strike BEACON configuration block: the first settings of its TLV layout (index, type, length as 16-bit big-endian: 1 short, 2 short, 3 int, 4 int, 5 short), plain or XOR-encoded with 0x69 (3.x) or 0x2E (4.x), in a PE, shellcode, memory or process dump"
		reference = "https://attack.mitre.org/software/S0154/"
		date = "2026-12-06"
		score = 90
		family = "BEACON"
		author = "irkit"

	strings:
		// setting 1 (beacon type) short, setting 2 (port) short,
		// setting 3 (sleep) int, setting 4 (max get size) int,
		// setting 5 (jitter) short; each: index, type, length, value
		$plain = { 00 01 00 01 00 02 ?? ?? 00 02 00 01 00 02 ?? ?? 00 03 00 02 00 04 ?? ?? ?? ?? 00 04 00 02 00 04 ?? ?? ?? ?? 00 05 00 01 00 02 }
		$x69 = { 69 68 69 68 69 6B ?? ?? 69 6B 69 68 69 6B ?? ?? 69 6A 69 6B 69 6D ?? ?? ?? ?? 69 6D 69 6B 69 6D ?? ?? ?? ?? 69 6C 69 68 69 6B }
		$x2e = { 2E 2F 2E 2F 2E 2C ?? ?? 2E 2C 2E 2F 2E 2C ?? ?? 2E 2D 2E 2C 2E 2A ?? ?? ?? ?? 2E 2A 2E 2C 2E 2A ?? ?? ?? ?? 2E 2B 2E 2F 2E 2C }

	condition:
		uint32(0) != 0x41524159 and any of them
}
