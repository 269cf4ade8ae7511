# The test agent: runs the Test stage of pull requests and branches (their own, unreviewed code) with the
# application's toolchain, JDK 21 and Maven. No Docker socket, no deploy credentials, no ssh key.
FROM jenkins/inbound-agent:3391.va_37fa_a_305d6d-4-jdk21

USER root
RUN apt-get update \
 && apt-get install -y --no-install-recommends maven \
 && rm -rf /var/lib/apt/lists/*
USER jenkins
COPY deploy/jenkins/agents/connect.sh /usr/local/bin/everbit-agent-connect
ENTRYPOINT ["/usr/local/bin/everbit-agent-connect"]
