#!/bin/sh
# Connects this inbound agent to the controller over WebSocket (the UI's own port: there is no agent port). Its
# secret is written by the controller (init.groovy.d/everbit-setup.groovy) into a volume only this agent and the
# controller mount; the agent waits for it, since the controller writes it once it has started. The secret stays in
# that file: remoting reads it from "-secret @FILE", so it is neither in java's argv (which every local account sees
# in ps) nor in the agent's environment (which every build's processes inherit).
set -eu
secret_file=${EVERBIT_AGENT_SECRET_FILE:?}
waited=0
while [ ! -s "$secret_file" ]; do
    if [ "$waited" -ge 600 ]; then
        echo "no agent secret in $secret_file after 600 s: is the controller running?" >&2
        exit 1
    fi
    sleep 2
    waited=$((waited + 2))
done
unset JENKINS_SECRET
exec /usr/local/bin/jenkins-agent -secret "@$secret_file"
