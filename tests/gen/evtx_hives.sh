#!/usr/bin/env bash
# evtx_hives.sh DIR - DIR/SYSTEM (the computer name EVTXHOST, control set
# 1) and DIR/SOFTWARE (empty): the hives of the Windows roots the event
# log tests build.  Needs python3, hivexsh.
set -euo pipefail
h=$1
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$h"
python3 "$here"/mkhive.py "$h"/SYSTEM
python3 "$here"/mkhive.py "$h"/SOFTWARE
{
	printf 'add Select\ncd Select\nsetval 1\nCurrent\ndword:0x1\ncd \\\n'
	printf 'add ControlSet001\ncd ControlSet001\nadd Services\nadd Control\n'
	printf 'cd Control\nadd ComputerName\ncd ComputerName\nadd ComputerName\n'
	printf 'cd ComputerName\nsetval 1\nComputerName\nstring:EVTXHOST\n'
	printf 'commit\n'
} | hivexsh -w "$h"/SYSTEM
