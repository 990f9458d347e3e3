/*
 * irkit bundled detection content: the SolarWinds code-signing
 * certificate that signed the trojanized Orion builds.
 *
 * Subject "Solarwinds Worldwide, LLC", issuer "Symantec Class 3 SHA256
 * Code Signing CA", valid 2020-01-21 to 2023-01-20, serial
 * 0f:e9:73:75:20:22:a6:06:ad:f2:a3:6e:34:5d:c0:ed (FireEye
 * Indicator_Release_Hashes.csv lists it; the serial is the one shown in the
 * Authenticode data of SUNBURST sample 32519b85...).  The same certificate
 * also signed legitimate SolarWinds software of that period, so these rules
 * are triage context, not proof of compromise: scores are low on purpose.
 */

rule IRK_SolarWinds_CodeSign_Cert_Signed_PE : solarwinds certificate
{
	meta:
		description = "PE carrying an Authenticode signature by the SolarWinds certificate (serial 0fe973752022a606adf2a36e345dc0ed) that signed the SUNBURST builds; check the hash"
		reference = "https://www.cisa.gov/news-events/cybersecurity-advisories/aa20-352a"
		date = "2026-11-21"
		score = 40
		family = "SolarWinds-cert"
		author = "irkit"

	strings:
		// DER INTEGER tag, length 16, serial number
		$serial = { 02 10 0F E9 73 75 20 22 A6 06 AD F2 A3 6E 34 5D C0 ED }
		$subject = "Solarwinds Worldwide, LLC" ascii nocase

	condition:
		// No pe module: parsing every scanned file as a PE made trees
		// of small files about 3x slower for this one low-score rule.
		// The DER bytes of the serial and the subject name are in the
		// Authenticode blob of the file itself.
		uint16(0) == 0x5A4D and filesize < 50MB and
		$serial and $subject
}

rule IRK_SolarWinds_CodeSign_Cert_DER : solarwinds certificate
{
	meta:
		description = "DER-encoded X.509 certificate file with the serial of the SolarWinds code-signing certificate abused in the SUNBURST campaign"
		reference = "https://github.com/fireeye/sunburst_countermeasures/blob/main/indicator_release/Indicator_Release_Hashes.csv"
		date = "2026-11-21"
		score = 30
		family = "SolarWinds-cert"
		author = "irkit"

	strings:
		$serial = { 02 10 0F E9 73 75 20 22 A6 06 AD F2 A3 6E 34 5D C0 ED }
		$subject = "Solarwinds Worldwide, LLC" ascii nocase

	condition:
		uint8(0) == 0x30 and uint8(1) == 0x82 and filesize < 64KB and
		$serial in (0 .. 64) and $subject
}
