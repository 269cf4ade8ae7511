package kr.everbit.deploy.jenkins;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import hudson.model.Run;
import java.util.List;

/** Where a step finds the credentials it names: in real Jenkins, the credentials visible to its run. */
interface CredentialStore {
    /** The credentials with this ID, of whatever type, or null when there are none. */
    StandardCredentials find(String id);

    /** Records that the run used them (the credential's usage tracking page). */
    void used(StandardCredentials credentials);

    static CredentialStore of(Run<?, ?> run) {
        return new CredentialStore() {
            @Override
            public StandardCredentials find(String id) {
                // Looked up as any type, so that a wrong type is reported as such rather than as a missing ID.
                return CredentialsProvider.findCredentialById(id, StandardCredentials.class, run, List.of());
            }

            @Override
            public void used(StandardCredentials credentials) {
                CredentialsProvider.track(run, credentials);
            }
        };
    }
}
