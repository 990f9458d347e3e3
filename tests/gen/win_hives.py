#!/usr/bin/env python3
"""win_hives.py DIR - hivexsh scripts (system.hsh, software.hsh,
ntuser.hsh) and task XML files for the test Windows server, from the
certificates DIR/root.der and DIR/user.der."""
import hashlib
import os
import struct
import sys

from hivescript import Script, hexval

d = sys.argv[1]


def blob(der):
    """A SystemCertificates Blob: {u32 id, u32 1, u32 len, data}..."""
    sha1 = hashlib.sha1(der).digest()
    props = [(0x03, sha1), (0x0B, "Evil Friendly Name\0".encode("utf-16-le")),
             (0x20, der)]
    return b"".join(struct.pack("<III", i, 1, len(v)) + v for i, v in props)


root = open(os.path.join(d, "root.der"), "rb").read()
user = open(os.path.join(d, "user.der"), "rb").read()

s = Script(d)
s.key("Select", [("Current", "dword:0x1"), ("Default", "dword:0x1"),
                 ("LastKnownGood", "dword:0x2")])
cs = "ControlSet001\\Services\\"
s.key(cs + "EvilSvc", [
    ("ImagePath", "expandstring:C:\\ProgramData\\svc\\evil.exe -k run"),
    ("Start", "dword:0x2"), ("Type", "dword:0x10"),
    ("ObjectName", "string:LocalSystem"),
    ("DisplayName", "string:Windows Update Helper")])
s.key(cs + "NetHelper", [
    ("ImagePath", "expandstring:%SystemRoot%\\System32\\svchost.exe -k netsvcs"),
    ("Start", "dword:0x3"), ("Type", "dword:0x20"),
    ("ObjectName", "string:NT AUTHORITY\\LocalService")])
s.key(cs + "NetHelper\\Parameters", [
    ("ServiceDll", "expandstring:%SystemRoot%\\System32\\evil.dll")])
s.key(cs + "Tcpip", [
    ("ImagePath", "expandstring:System32\\drivers\\tcpip.sys"),
    ("Start", "dword:0x0"), ("Type", "dword:0x1"),
    ("DisplayName", "string:TCP/IP Protocol Driver")])
s.key(cs + "OldSvc", [("Start", "dword:0x4"), ("Type", "dword:0x10"),
                      ("ImagePath", "string:C:\\old\\old.exe")])
# a control set that is not current: must not be read
s.key("ControlSet002\\Services\\Stale", [
    ("ImagePath", "string:C:\\stale.exe"), ("Start", "dword:0x2")])
s.key("ControlSet001\\Control\\ComputerName\\ComputerName",
      [("ComputerName", "string:WINSRV01")])
s.write("system.hsh")

sha1 = hashlib.sha1(root).hexdigest().upper()
s = Script(d)
s.key("Microsoft\\SystemCertificates\\ROOT\\Certificates\\" + sha1,
      [("Blob", hexval(blob(root)))])
tc = "Microsoft\\Windows NT\\CurrentVersion\\Schedule\\TaskCache\\"
g1 = "{11111111-2222-3333-4444-555555555555}"
g2 = "{66666666-7777-8888-9999-000000000000}"
g3 = "{AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE}"
s.key(tc + "Tree\\Updater", [("Id", "string:" + g1)])
s.key(tc + "Tree\\Ghost", [("Id", "string:" + g2)])
s.key(tc + "Tree\\Microsoft\\Windows\\Defrag\\ScheduledDefrag",
      [("Id", "string:" + g3)])
s.key(tc + "Tasks\\" + g1, [("Path", "string:\\Updater")])
s.key(tc + "Tasks\\" + g2, [("Path", "string:\\Ghost")])
s.key(tc + "Tasks\\" + g3,
      [("Path", "string:\\Microsoft\\Windows\\Defrag\\ScheduledDefrag")])
s.write("software.hsh")

s = Script(d)
s.key("Software\\Microsoft\\SystemCertificates\\My\\Certificates\\" +
      hashlib.sha1(user).hexdigest().upper(), [("Blob", hexval(blob(user)))])
s.write("ntuser.hsh")

task = """<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Date>2023-11-14T22:15:00</Date>
    <Author>WINSRV01\\Administrator</Author>
    <Description>Keeps the helper fresh</Description>
    <URI>\\Updater</URI>
  </RegistrationInfo>
  <Triggers>
    <BootTrigger><Enabled>true</Enabled></BootTrigger>
    <CalendarTrigger>
      <StartBoundary>2023-11-15T03:00:00</StartBoundary>
      <ScheduleByDay><DaysInterval>1</DaysInterval></ScheduleByDay>
    </CalendarTrigger>
  </Triggers>
  <Principals>
    <Principal id="Author">
      <UserId>S-1-5-18</UserId>
      <RunLevel>HighestAvailable</RunLevel>
    </Principal>
  </Principals>
  <Settings><Hidden>true</Hidden><Enabled>true</Enabled></Settings>
  <Actions Context="Author">
    <Exec>
      <Command>C:\\ProgramData\\svc\\evil.exe</Command>
      <Arguments>-enc SQBFAFgA</Arguments>
    </Exec>
  </Actions>
</Task>
"""
with open(os.path.join(d, "Updater.xml"), "wb") as f:
    f.write(b"\xff\xfe" + task.replace("\n", "\r\n").encode("utf-16-le"))
defrag = task.replace("\\\\Updater", "\\\\Microsoft\\\\Windows\\\\Defrag\\\\ScheduledDefrag")
defrag = defrag.replace("C:\\ProgramData\\svc\\evil.exe", "%windir%\\system32\\defrag.exe")
defrag = defrag.replace("-enc SQBFAFgA", "-c -h -o").replace("<Hidden>true</Hidden>", "")
with open(os.path.join(d, "Defrag.xml"), "wb") as f:
    f.write(b"\xff\xfe" + defrag.encode("utf-16-le"))
