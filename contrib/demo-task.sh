#!/bin/sh
# demo-task.sh: the three ways pools fail, as sandpool tasks (README quick start).
#   exit1        exits 1: a worker that dies (multiprocessing.Pool hangs on it)
#   ignore-term  ignores SIGTERM and sleeps 600 s (terminate() cannot stop it)
#   daemon       leaves a setsid daemon that ignores SIGTERM, then exits 0
#   ok           does its work
case "$1" in
exit1) echo "task $1: failing" >&2; exit 1 ;;
ignore-term) trap '' TERM; echo "task $1: ignoring SIGTERM, sleeping 600s"; exec sleep 600 ;;
daemon)
	setsid sh -c 'trap "" TERM; exec sleep 600' </dev/null >/dev/null 2>&1 &
	echo "task $1: left a setsid daemon behind (pid $!) and exited 0"
	;;
*) echo "task $1: done" ;;
esac
