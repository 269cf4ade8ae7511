package kr.everbit.deploy.jenkins;

import java.util.List;

/**
 * Where a VM step works, each value already resolved from the step or the global configuration.
 *
 * @param user         the step's {@code user:}, or null
 * @param defaultUser  the global user, used when neither the step nor the SSH credential names one
 * @param sshCredentialsId the SSH key credential, or null for the agent of an enclosing sshagent block
 * @param knownHosts   known_hosts text, or null when {@code knownHostsCredentialsId} holds it
 * @param stack        target swarm: the stack's name ({@code host} is a manager); null for target compose
 */
record VmSettings(String host, int port, String user, String defaultUser, String sshCredentialsId,
                  String knownHosts, String knownHostsCredentialsId, String dir, List<String> composeFiles,
                  String service, String image, String stack) {

    /** Target swarm: the same work runs on the swarm's stack, through the manager {@code host} names. */
    boolean swarm() {
        return stack != null;
    }

    /** The SSH user: the step's, else the one stored with the key, else the global one. */
    String userFor(String keyUsername) {
        return user != null ? user : keyUsername != null ? keyUsername : defaultUser;
    }
}
