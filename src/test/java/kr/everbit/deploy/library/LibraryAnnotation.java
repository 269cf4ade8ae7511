package kr.everbit.deploy.library;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

/**
 * Stands in for Jenkins' {@code @Library} (auto-imported in real Jenkinsfiles) so that Jenkinsfiles compile and run
 * here; the harness and the static check import it under the name {@code Library}.
 */
@Retention(RetentionPolicy.SOURCE)
public @interface LibraryAnnotation {
    String[] value();
}
