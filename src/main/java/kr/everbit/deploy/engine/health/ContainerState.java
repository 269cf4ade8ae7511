package kr.everbit.deploy.engine.health;

/**
 * The state of one container as {@code docker inspect} reports it.
 *
 * @param status       created, running, restarting, exited, paused, dead
 * @param health       healthy, unhealthy, starting, or null without a healthcheck
 * @param restartCount how often Docker restarted it (a crash loop shows here)
 */
public record ContainerState(String name, String service, String status, boolean restarting, int exitCode,
                             String health, int restartCount) {

    /** Running, not restarting, and healthy where there is a healthcheck. */
    public boolean healthy() {
        return "running".equals(status) && !restarting && (health == null || "healthy".equals(health));
    }

    /** "running, healthy", "running, health: starting", "exited (exit 1)", "restarting (exit 1, 4 restarts)". */
    public String describe() {
        StringBuilder text = new StringBuilder(restarting ? "restarting" : status);
        if ("running".equals(status) && !restarting) {
            if (health != null) {
                text.append(", ").append("starting".equals(health) ? "health: starting" : health);
            }
        } else {
            text.append(" (exit ").append(exitCode);
            if (restartCount > 0) {
                text.append(", ").append(restartCount).append(restartCount == 1 ? " restart" : " restarts");
            }
            text.append(")");
        }
        return text.toString();
    }
}
