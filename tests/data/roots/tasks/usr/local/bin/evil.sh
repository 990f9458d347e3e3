#!/bin/sh
exec /usr/local/bin/evil.sh
