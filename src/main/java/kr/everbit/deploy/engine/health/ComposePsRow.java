package kr.everbit.deploy.engine.health;

/**
 * One container of {@code compose ps}, in the same terms whatever the compose version printed.
 *
 * @param service the compose service, or null where compose v1's table does not say it
 * @param state   running, exited, restarting, paused, created, ...
 * @param health  healthy, unhealthy, starting, or null without a healthcheck
 * @param status  the human text ("Up 2 minutes (healthy)", "Exit 1")
 */
public record ComposePsRow(String name, String service, String state, String health, String status) {
}
