package kr.everbit.deploy.engine.health;

import java.net.URI;

/** One HTTP GET, sent from where the tool runs or from the VM. */
@FunctionalInterface
public interface HttpGet {
    HttpAnswer get(URI uri);
}
