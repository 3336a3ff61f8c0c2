#!/bin/sh
# What the container runs. `serve` (the default) first brings the database up to date and
# then refuses to start if `powerbase check` finds anything unsafe; any other powerbase
# command (worker, createorg, createuser, check...) runs as it is.
set -eu

if [ "$#" -eq 0 ]; then
    set -- serve --host 0.0.0.0 --port 8000
fi
if [ "$1" = serve ]; then
    powerbase migrate
    powerbase check
fi
exec powerbase "$@"
