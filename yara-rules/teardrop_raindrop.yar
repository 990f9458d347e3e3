/*
 * irkit bundled detection content: TEARDROP and RAINDROP, the memory-only
 * Cobalt Strike loaders of the SolarWinds / UNC2452 campaign.
 *
 * Public facts used: TEARDROP reads its payload from a fake JPEG named
 * "gracious_truth[.]jpg" (FireEye) or "upbeat_anxiety[.]jpg" (Symantec)
 * and checks HKU\SOFTWARE\Microsoft\CTF before running (Dec 2020); it
 * was seen as a service DLL at
 * c:\windows\syswow64\netsetupsvc[.]dll.  RAINDROP DLLs are built from
 * modified 7-Zip source, keep "7-zip.dll" as the export-directory name and
 * the COM exports of the 7-Zip shell extension (Symantec, Jan 2021).
 */

rule IRK_TEARDROP_Loader_Strings : teardrop solarwinds
{
	meta:
		description = "TEARDROP loader PE: fake-JPEG payload name (gracious_truth[.]jpg, upbeat_anxiety[.]jpg) together with the SOFTWARE\\Microsoft\\CTF registry check (as a string or stored on the stack)"
		reference = "https://www.fireeye.com/blog/threat-research/2020/12/evasive-attacker-leverages-solarwinds-supply-chain-compromises-with-sunburst-backdoor.html"
		date = "2026-11-21"
		score = 90
		family = "TEARDROP"
		author = "irkit"

	strings:
		$jpg = /(gracious_truth|upbeat_anxiety)\.jpg/ ascii wide nocase
		$ctf = "SOFTWARE\\Microsoft\\CTF" ascii wide nocase
		// the key built from immediates on the stack: mov dword
		// [rsp+x], "SOFT" then "WARE" (the string is never contiguous)
		$ctf_stack = { C7 44 24 ?? 53 4F 46 54 [0-8] C7 44 24 ?? 57 41 52 45 }

	condition:
		uint16(0) == 0x5A4D and filesize < 10MB and
		uint32(uint32(0x3C)) == 0x00004550 and
		$jpg and ($ctf or $ctf_stack)
}

rule IRK_TEARDROP_Loader_Code_Shapes : teardrop solarwinds
{
	meta:
		description = "TEARDROP-style loader code in a PE: the JFIF marker compared as a 32-bit immediate, the payload extension spelled by single-byte stores, and a byte XOR decode loop"
		reference = "https://www.fireeye.com/blog/threat-research/2020/12/evasive-attacker-leverages-solarwinds-supply-chain-compromises-with-sunburst-backdoor.html"
		date = "2026-12-06"
		score = 85
		family = "TEARDROP"
		author = "irkit"

	strings:
		// mov dword [rsp+x] / [rbp+x] / [rip+x], "JFIF": the fake JPEG's
		// header is checked before the payload after it is decoded
		$jfif_rsp = { C7 44 24 ?? 4A 46 49 46 }
		$jfif_rbp = { C7 45 ?? 4A 46 49 46 }
		$jfif_rip = { C7 05 ?? ?? ?? ?? 4A 46 49 46 }
		// mov byte [rip+x], 'j' ... 'p' ... 'e'|'g': the extension of the
		// payload file written a byte at a time into a global
		$ext_stores = { C6 05 ?? ?? ?? ?? 6A [0-8] C6 05 ?? ?? ?? ?? 70 [0-8] C6 05 ?? ?? ?? ?? ( 65 | 67 ) }
		// xor [base+index], reg8 (or reg8, [base+index]); inc index;
		// cmp index, length; jb/jne/jl back: the rolling XOR over the
		// payload
		$xor_loop = { ( 30 | 32 ) ?? [1-3] ( 48 FF C0 | 48 FF C1 | 48 FF C2 | 49 FF C0 | 49 FF C1 ) [0-8] ( 48 | 49 | 4C | 4D ) ( 39 | 3B ) ?? ( 72 | 75 | 7C ) }

	condition:
		uint16(0) == 0x5A4D and filesize < 10MB and
		uint32(uint32(0x3C)) == 0x00004550 and
		1 of ($jfif_*) and $ext_stores and $xor_loop
}

rule IRK_TEARDROP_Payload_Name_PE : teardrop solarwinds
{
	meta:
		description = "PE naming a published TEARDROP fake-JPEG payload file (gracious_truth[.]jpg, FireEye; upbeat_anxiety[.]jpg, Symantec): a loader or a tool built to find it, without the other loader evidence"
		reference = "https://www.fireeye.com/blog/threat-research/2020/12/evasive-attacker-leverages-solarwinds-supply-chain-compromises-with-sunburst-backdoor.html"
		date = "2026-12-06"
		score = 70
		family = "TEARDROP"
		author = "irkit"

	strings:
		$jpg = /(gracious_truth|upbeat_anxiety)\.jpg/ ascii wide nocase

	condition:
		uint16(0) == 0x5A4D and filesize < 10MB and
		uint32(uint32(0x3C)) == 0x00004550 and
		$jpg
}

rule IRK_TEARDROP_Artifact_Reference : teardrop solarwinds
{
	meta:
		description = "Non-PE file (script, registry export, service config, log) naming the TEARDROP fake-JPEG payload or its SysWOW64 netsetupsvc.dll service DLL"
		reference = "https://www.fireeye.com/blog/threat-research/2020/12/evasive-attacker-leverages-solarwinds-supply-chain-compromises-with-sunburst-backdoor.html"
		date = "2026-11-21"
		score = 60
		family = "TEARDROP"
		author = "irkit"

	strings:
		$jpg = /(gracious_truth|upbeat_anxiety)\.jpg/ ascii wide nocase
		$svc = /syswow64\\{1,2}netsetupsvc\.dll/ ascii wide nocase

	condition:
		uint16(0) != 0x5A4D and uint32(0) != 0x41524159 and filesize < 20MB and
		// the name alone on its line is a list entry (iocs/filenames.txt)
		($svc or for any i in (1 .. #jpg) : (
			not ((@jpg[i] == 0 or uint8(@jpg[i] - 1) == 0x0A) and
			     (@jpg[i] + !jpg[i] == filesize or uint8(@jpg[i] + !jpg[i]) == 0x09 or
			      uint8(@jpg[i] + !jpg[i]) == 0x20 or uint8(@jpg[i] + !jpg[i]) == 0x23 or
			      uint8(@jpg[i] + !jpg[i]) == 0x0A or uint8(@jpg[i] + !jpg[i]) == 0x0D))))
}

rule IRK_RAINDROP_7Zip_Masquerade : raindrop solarwinds
{
	meta:
		description = "RAINDROP-style loader: PE whose export directory is named 7-zip.dll with the 7-Zip shell-extension COM exports but no 7-Zip/Igor Pavlov version text (heuristic)"
		reference = "https://symantec-enterprise-blogs.security.com/blogs/threat-intelligence/solarwinds-raindrop-malware"
		date = "2026-11-21"
		score = 50
		family = "RAINDROP"
		author = "irkit"

	strings:
		$dllname = { 00 37 2D 7A 69 70 2E 64 6C 6C 00 }   // "\x007-zip.dll\x00" export name
		$e1 = "DllCanUnloadNow" ascii fullword
		$e2 = "DllGetClassObject" ascii fullword
		$e3 = "DllRegisterServer" ascii fullword
		$e4 = "DllUnregisterServer" ascii fullword
		$legit1 = "Igor Pavlov" ascii wide
		$legit2 = "7-Zip Shell Extension" ascii wide nocase

	condition:
		uint16(0) == 0x5A4D and filesize < 5MB and
		uint32(uint32(0x3C)) == 0x00004550 and
		$dllname and 3 of ($e*) and not any of ($legit*)
}
