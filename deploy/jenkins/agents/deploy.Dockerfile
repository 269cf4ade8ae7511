# The deploy agent: the Deploy job's main and Rollback only (casc/jenkins.yaml restricts it to them). It tests the
# merged commit, builds and pushes the image (docker CLI + buildx on the host's daemon) and reaches the VM over
# ssh (OpenSSH client), with JDK 21 and Maven for the Test stage.
FROM jenkins/inbound-agent:3391.va_37fa_a_305d6d-4-jdk21

USER root
RUN apt-get update \
 && apt-get install -y --no-install-recommends docker.io docker-buildx openssh-client maven \
 && rm -rf /var/lib/apt/lists/*
USER jenkins
COPY deploy/jenkins/agents/connect.sh /usr/local/bin/everbit-agent-connect
ENTRYPOINT ["/usr/local/bin/everbit-agent-connect"]
