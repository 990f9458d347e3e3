/*
 * irkit bundled detection content: SUPERNOVA, the .NET web shell planted
 * as a trojanized App_Web_logoimagehandler.ashx.b6031896.dll on SolarWinds
 * Orion web servers.  It takes C# source from the request parameters
 * "codes", "clazz", "method" and "args", compiles it in memory with
 * CompileAssemblyFromSource and runs it from a method named DynamicRun
 * (CISA AR21-027A, Palo Alto Unit 42, GuidePoint, SentinelLabs).
 */

rule IRK_SUPERNOVA_WebShell_DLL : supernova solarwinds webshell
{
	meta:
		description = "SUPERNOVA web shell assembly: DynamicRun + CompileAssemblyFromSource + the codes/clazz/method/args request parameters"
		reference = "https://www.cisa.gov/news-events/analysis-reports/ar21-027a"
		date = "2026-11-21"
		score = 95
		family = "SUPERNOVA"
		author = "irkit"

	strings:
		$dyn = "DynamicRun" ascii wide fullword
		$compile = "CompileAssemblyFromSource" ascii wide fullword
		$p_clazz = "clazz" wide fullword
		$p_codes = "codes" wide fullword
		$p_method = "method" wide fullword
		$p_args = "args" wide fullword
		$handler = "logoimagehandler" ascii wide nocase

	condition:
		uint16(0) == 0x5A4D and filesize < 5MB and
		$dyn and $compile and $p_clazz and
		(2 of ($p_codes, $p_method, $p_args) or $handler)
}

rule IRK_SUPERNOVA_Source : supernova solarwinds webshell
{
	meta:
		description = "SUPERNOVA web shell in source form (.ashx/.cs or a PowerShell dropper carrying it): DynamicRun, CompileAssemblyFromSource and the clazz parameter"
		reference = "https://www.cisa.gov/news-events/analysis-reports/ar21-027a"
		date = "2026-11-21"
		score = 85
		family = "SUPERNOVA"
		author = "irkit"

	strings:
		$dyn = "DynamicRun" ascii wide
		$compile = "CompileAssemblyFromSource" ascii wide
		$clazz = /\[\s*"clazz"\s*\]/ ascii wide
		$codes = /\[\s*"codes"\s*\]/ ascii wide
		$args = /\[\s*"args"\s*\]/ ascii wide

	condition:
		uint16(0) != 0x5A4D and uint32(0) != 0x41524159 and filesize < 5MB and
		$dyn and $compile and $clazz and ($codes or $args)
}
