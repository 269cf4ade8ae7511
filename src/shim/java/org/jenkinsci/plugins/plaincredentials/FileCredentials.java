package org.jenkinsci.plugins.plaincredentials;

import com.cloudbees.plugins.credentials.common.StandardCredentials;
import java.io.IOException;
import java.io.InputStream;

/** API shim (compile-only, never packaged): real signatures of org.jenkinsci.plugins.plaincredentials.FileCredentials. */
public interface FileCredentials extends StandardCredentials {
    InputStream getContent() throws IOException;
}
