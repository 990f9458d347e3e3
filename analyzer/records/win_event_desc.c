/*
 * win_event_desc.c - the events irkit names (win_event.h), keyed on the
 * provider (Security auditing, the Service Control Manager...) or on
 * the channel where one provider writes several logs' events.  Keep
 * docs/windows-events.md in step: tests/unit/test_win_event.c checks
 * that it lists every entry.
 */
#include <string.h>
#include <strings.h>

#include "win_event.h"
#include "irkit/banned.h"

#define SEC	"Microsoft-Windows-Security-Auditing"
#define SCM	"Service Control Manager"
#define EVLOG	"Microsoft-Windows-Eventlog"	/* 1102 in Security, 104 */
#define TASKS	"Microsoft-Windows-TaskScheduler/Operational"
#define RCM	"Microsoft-Windows-TerminalServices-RemoteConnectionManager/" \
		"Operational"
#define LSM	"Microsoft-Windows-TerminalServices-LocalSessionManager/" \
		"Operational"
#define PSOP	"Microsoft-Windows-PowerShell/Operational"
#define WPS	"Windows PowerShell"
#define WMI	"Microsoft-Windows-WMI-Activity/Operational"
#define DEF	"Microsoft-Windows-Windows Defender/Operational"
#define SYSMON	"Microsoft-Windows-Sysmon/Operational"

#define LOGON	"TargetDomainName,TargetUserName,LogonType,IpAddress," \
		"WorkstationName,TargetLogonId"
#define SUBJ	"SubjectDomainName,SubjectUserName"
#define TASK	"TaskName," SUBJ
#define ACCT	"TargetDomainName,TargetUserName," SUBJ
#define GROUP	"TargetUserName,MemberName,MemberSid," SUBJ
#define SESSION	"User,SessionID,Address"

const struct irk_win_event_desc irk_win_event_descs[] = {
	/* Security */
	{ SEC, 4624, "an account logged on", LOGON },
	{ SEC, 4625, "an account failed to log on",
	    LOGON ",Status,SubStatus" },
	{ SEC, 4634, "an account logged off",
	    "TargetDomainName,TargetUserName,LogonType,TargetLogonId" },
	{ SEC, 4647, "a user initiated logoff",
	    "TargetDomainName,TargetUserName,TargetLogonId" },
	{ SEC, 4648, "a logon with explicit credentials",
	    SUBJ ",TargetDomainName,TargetUserName,TargetServerName,"
	    "IpAddress,ProcessName" },
	{ SEC, 4672, "special privileges assigned to a new logon",
	    SUBJ ",SubjectLogonId,PrivilegeList" },
	{ SEC, 4688, "a process was created",
	    SUBJ ",NewProcessName,CommandLine,ParentProcessName" },
	{ SEC, 4697, "a service was installed",
	    SUBJ ",ServiceName,ServiceFileName,ServiceStartType,"
	    "ServiceAccount" },
	{ SEC, 4698, "a scheduled task was created", TASK },
	{ SEC, 4699, "a scheduled task was deleted", TASK },
	{ SEC, 4700, "a scheduled task was enabled", TASK },
	{ SEC, 4701, "a scheduled task was disabled", TASK },
	{ SEC, 4702, "a scheduled task was updated", TASK },
	{ SEC, 4719, "the system audit policy was changed",
	    SUBJ ",CategoryId,SubcategoryId,AuditPolicyChanges" },
	{ SEC, 4720, "a user account was created", ACCT },
	{ SEC, 4722, "a user account was enabled", ACCT },
	{ SEC, 4724, "an account password reset was attempted", ACCT },
	{ SEC, 4728, "a member was added to a global security group", GROUP },
	{ SEC, 4732, "a member was added to a local security group", GROUP },
	{ SEC, 4738, "a user account was changed", ACCT },
	{ SEC, 4756, "a member was added to a universal security group",
	    GROUP },
	{ SEC, 4768, "a Kerberos ticket (TGT) was requested",
	    "TargetDomainName,TargetUserName,IpAddress,Status" },
	{ SEC, 4769, "a Kerberos service ticket was requested",
	    "TargetDomainName,TargetUserName,ServiceName,IpAddress,Status" },
	{ SEC, 4776, "the computer attempted to validate credentials",
	    "TargetUserName,Workstation,Status" },
	{ SEC, 4778, "a session was reconnected to a window station",
	    "AccountDomain,AccountName,ClientName,ClientAddress" },
	{ SEC, 4779, "a session was disconnected from a window station",
	    "AccountDomain,AccountName,ClientName,ClientAddress" },
	{ SEC, 5140, "a network share was accessed",
	    SUBJ ",IpAddress,ShareName" },
	{ SEC, 5145, "a network share object was checked",
	    SUBJ ",IpAddress,ShareName,RelativeTargetName" },
	{ EVLOG, 1102, "the audit log was cleared",
	    SUBJ ",SubjectUserSid" },
	/* System */
	{ SCM, 7045, "a service was installed",
	    "ServiceName,ImagePath,ServiceType,StartType,AccountName" },
	{ SCM, 7036, "a service entered a state", "param1,param2" },
	{ SCM, 7040, "a service's start type was changed",
	    "param1,param2,param3" },
	{ EVLOG, 104, "an event log was cleared",
	    "SubjectDomainName,SubjectUserName,Channel,BackupPath" },
	{ "EventLog", 6005, "the event log service was started", "" },
	{ "EventLog", 6006, "the event log service was stopped", "" },
	{ "EventLog", 6008, "the previous system shutdown was unexpected",
	    "Data1,Data2" },
	{ "User32", 1074, "a shutdown or restart was initiated",
	    "param1,param2,param3,param5,param7" },
	/* Task Scheduler */
	{ TASKS, 106, "a scheduled task was registered",
	    "TaskName,UserContext" },
	{ TASKS, 140, "a scheduled task was updated", "TaskName,UserName" },
	{ TASKS, 141, "a scheduled task was deleted", "TaskName,UserName" },
	{ TASKS, 200, "a scheduled task's action was started",
	    "TaskName,ActionName,TaskInstanceId" },
	{ TASKS, 201, "a scheduled task's action completed",
	    "TaskName,ActionName,ResultCode" },
	/* Remote Desktop */
	{ RCM, 1149, "a Remote Desktop user authenticated",
	    "Param1,Param2,Param3" },
	{ LSM, 21, "a Remote Desktop session logon succeeded", SESSION },
	{ LSM, 22, "a Remote Desktop shell start was received", SESSION },
	{ LSM, 23, "a Remote Desktop session logoff succeeded", SESSION },
	{ LSM, 24, "a Remote Desktop session was disconnected", SESSION },
	{ LSM, 25, "a Remote Desktop session was reconnected", SESSION },
	/* PowerShell */
	{ PSOP, 4103, "a PowerShell pipeline was executed (module logging)",
	    "ContextInfo,Payload" },
	{ PSOP, 4104, "a PowerShell script block was logged",
	    "ScriptBlockId,Path,ScriptBlockText" },
	{ WPS, 400, "a PowerShell engine started", "Data1,Data3" },
	{ WPS, 403, "a PowerShell engine stopped", "Data1,Data3" },
	{ WPS, 600, "a PowerShell provider started", "Data1,Data3" },
	/* WMI */
	{ WMI, 5857, "a WMI provider was started",
	    "ProviderName,HostProcess,ProviderPath" },
	{ WMI, 5858, "a WMI operation failed",
	    "ClientMachine,User,Operation,ResultCode" },
	{ WMI, 5859, "a WMI event consumer was registered (a query)",
	    "NamespaceName,Query,User,PossibleCause" },
	{ WMI, 5860, "a temporary WMI event consumer was registered",
	    "NamespaceName,Query,User,PossibleCause" },
	{ WMI, 5861, "a permanent WMI event consumer was bound",
	    "Namespace,ESS,Consumer,PossibleCause" },
	/* Defender */
	{ DEF, 1116, "Defender detected malware",
	    "Threat Name,Severity Name,Path,Detection User" },
	{ DEF, 1117, "Defender took action on malware",
	    "Threat Name,Path,Action Name,Detection User" },
	{ DEF, 5001, "Defender real-time protection was disabled", "" },
	/* Sysmon */
	{ SYSMON, 1, "Sysmon: process created",
	    "Image,CommandLine,User,ParentImage,Hashes" },
	{ SYSMON, 3, "Sysmon: network connection",
	    "Image,User,SourceIp,DestinationIp,DestinationPort,"
	    "DestinationHostname" },
	{ SYSMON, 7, "Sysmon: image loaded", "Image,ImageLoaded,Hashes" },
	{ SYSMON, 8, "Sysmon: remote thread created",
	    "SourceImage,TargetImage,StartAddress" },
	{ SYSMON, 10, "Sysmon: process accessed",
	    "SourceImage,TargetImage,GrantedAccess" },
	{ SYSMON, 11, "Sysmon: file created", "Image,TargetFilename" },
	{ SYSMON, 12, "Sysmon: registry key created or deleted",
	    "EventType,Image,TargetObject" },
	{ SYSMON, 13, "Sysmon: registry value set",
	    "Image,TargetObject,Details" },
	{ SYSMON, 22, "Sysmon: DNS query",
	    "Image,QueryName,QueryResults" },
	{ NULL, 0, NULL, NULL },
};

const struct irk_win_event_desc *
irk_win_event_desc(const char *provider, const char *channel, int id)
{
	for (const struct irk_win_event_desc *d = irk_win_event_descs;
	    d->key != NULL; d++) {
		if (d->id != id)
			continue;
		if ((provider != NULL && strcasecmp(d->key, provider) == 0) ||
		    (channel != NULL && strcasecmp(d->key, channel) == 0))
			return d;
	}
	return NULL;
}
