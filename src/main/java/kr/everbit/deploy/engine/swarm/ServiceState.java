package kr.everbit.deploy.engine.swarm;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kr.everbit.deploy.engine.ImageRef;
import kr.everbit.deploy.engine.Printable;
import kr.everbit.deploy.engine.ledger.Ledger;

/**
 * What the swarm runs of the released service, read from the manager ({@code everbit_swarm_state}). The lines are
 * data: an image is kept only when it is a release image of the service's repository (else it is null, "unknown"),
 * a digest only when it is one, an update state only when it is one Docker has, and every text is made printable.
 *
 * @param image    the release image the service's spec names ({@code REPO:SHA}, without its digest), or null
 * @param digest   the digest the spec pins ({@code sha256:...}), or null
 * @param update   the state of the service's last update ({@code updating}, {@code completed}, {@code paused},
 *                 {@code rollback_started}, {@code rollback_completed}, {@code rollback_paused}), or "" before any
 * @param started  when that update started, as Docker prints it ("" before any)
 * @param running  tasks running, as the task list shows them ({@code docker service ls} went on counting a task of a
 *                 node whose daemon was gone as running)
 * @param desired  tasks wanted, as {@code docker service ls} counts them
 */
public record ServiceState(boolean exists, String image, String digest, String update, String started, String message,
                           int running, int desired, List<Task> tasks) {
    public static final List<String> UPDATE_STATES = List.of("", "updating", "completed", "paused", "rollback_started",
            "rollback_completed", "rollback_paused");
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern REPLICAS = Pattern.compile("(\\d{1,6})/(\\d{1,6})(?:\\s.*)?");
    private static final Pattern NODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,254}");

    /**
     * One task the swarm means to run.
     *
     * @param node  the node's host name ("" while unassigned)
     * @param image the release image it runs, or null when it is not one of the repository's
     * @param state its current state as Docker says it ("Running 5 seconds ago", "Starting ...", "Rejected ...")
     */
    public record Task(String node, String image, String state, String error) {
        public boolean running() {
            return state.startsWith("Running");
        }
    }

    public ServiceState {
        tasks = List.copyOf(tasks);
    }

    public static ServiceState parse(List<String> lines, ImageRef repository) {
        if (lines.stream().anyMatch(l -> l.strip().equals("absent"))) {
            return new ServiceState(false, null, null, "", "", "", 0, 0, List.of());
        }
        String image = null;
        String digest = null;
        String update = "";
        String started = "";
        String message = "";
        int running = 0;
        int desired = 0;
        List<Task> tasks = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("image=")) {
                String spec = line.substring("image=".length()).strip();
                int at = spec.indexOf('@');
                String named = at < 0 ? spec : spec.substring(0, at);
                image = release(named, repository);
                digest = at >= 0 && DIGEST.matcher(spec.substring(at + 1)).matches() ? spec.substring(at + 1) : null;
            } else if (line.startsWith("update=")) {
                String state = line.substring("update=".length()).strip();
                update = UPDATE_STATES.contains(state) ? state : Printable.of(state);
            } else if (line.startsWith("started=")) {
                started = Printable.of(line.substring("started=".length()).strip());
            } else if (line.startsWith("message=")) {
                message = Printable.of(line.substring("message=".length()).strip());
            } else if (line.startsWith("replicas=")) {
                Matcher m = REPLICAS.matcher(line.substring("replicas=".length()).strip());
                if (m.matches()) {
                    running = Integer.parseInt(m.group(1));
                    desired = Integer.parseInt(m.group(2));
                }
            } else if (line.startsWith("task ")) {
                String[] f = line.substring("task ".length()).split("\\|", 4);
                if (f.length >= 3) {
                    String node = NODE.matcher(f[0].strip()).matches() ? f[0].strip() : "";
                    String named = f[1].strip();
                    int at = named.indexOf('@');
                    tasks.add(new Task(node, release(at < 0 ? named : named.substring(0, at), repository),
                            Printable.of(f[2].strip()), f.length > 3 ? Printable.of(f[3].strip()) : ""));
                }
            }
        }
        int seenRunning = (int) tasks.stream().filter(Task::running).count();
        return new ServiceState(true, image, digest, update, started, message, Math.min(running, seenRunning), desired, tasks);
    }

    private static String release(String image, ImageRef repository) {
        return Ledger.isReleaseImage(image, repository) ? image : null;
    }

    /** The update state is one that ends an update that failed: the swarm paused it, or rolled it back. */
    public boolean updateFailed() {
        return update.equals("paused") || update.equals("rollback_completed") || update.equals("rollback_paused");
    }

    /**
     * Every task the swarm means to run runs {@code image}, and as many as it wants: the rollout to {@code image}
     * has converged.
     */
    public boolean runsOnly(String image) {
        return exists && image.equals(this.image) && desired > 0 && running == desired && tasks.size() == desired
                && tasks.stream().allMatch(t -> t.running() && image.equals(t.image()));
    }

    /** One line per task, for progress and messages: {@code node image state}. */
    public String taskSummary() {
        if (tasks.isEmpty()) {
            return "no task";
        }
        return String.join("; ", tasks.stream().map(t -> (t.node().isEmpty() ? "(no node)" : t.node()) + " "
                + (t.image() == null ? "(another image)" : t.image()) + " " + t.state()
                + (t.error().isEmpty() ? "" : " (" + t.error() + ")")).toList());
    }
}
