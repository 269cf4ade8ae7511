package kr.everbit.deploy.engine.swarm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kr.everbit.deploy.engine.EverbitException;
import kr.everbit.deploy.engine.Masker;
import kr.everbit.deploy.engine.Printable;
import kr.everbit.deploy.engine.Progress;
import kr.everbit.deploy.engine.RegistryLogin;
import kr.everbit.deploy.engine.exec.Executor;
import kr.everbit.deploy.engine.ledger.Ledger;
import kr.everbit.deploy.engine.ledger.LedgerEntry;
import kr.everbit.deploy.engine.remote.RemoteScript;
import kr.everbit.deploy.engine.remote.RemoteSession;
import kr.everbit.deploy.engine.remote.ShellResult;
import kr.everbit.deploy.engine.ssh.Connection;
import kr.everbit.deploy.engine.ssh.SshAgent;
import kr.everbit.deploy.engine.ssh.SshSession;

/**
 * The stack on a Swarm, reached through one manager over one SSH session for the whole command (the same session,
 * strict host keys and in-memory key as a VM's). The lock and the ledger are Swarm configs, kept in the managers' Raft
 * store: a command through any manager sees the same ones.
 */
public final class SwarmManager implements AutoCloseable {
    /** A ledger config as {@code everbit_swarm_ledger} prints it: its name, then its data as a JSON string of base64. */
    private static final Pattern LEDGER_LINE = Pattern.compile("(\\S+) \"([A-Za-z0-9+/=]*)\"");
    private static final Pattern CONFIG_ID = Pattern.compile("[a-z0-9]{25}");
    private final RemoteSession session;
    private final SshAgent agent;
    private final SwarmStack stack;
    private final SwarmScripts scripts;
    private final Masker masker;
    private final Progress progress;
    private String node;
    private String lockId;
    private int nextNumber = -1;

    private SwarmManager(RemoteSession session, SshAgent agent, SwarmStack stack, Masker masker, Progress progress) {
        this.session = session;
        this.agent = agent;
        this.stack = stack;
        this.scripts = new SwarmScripts(stack);
        this.masker = masker;
        this.progress = progress;
    }

    /** Connects (one SSH connection) and checks that the host is a manager of an active swarm. */
    public static SwarmManager connect(Executor executor, Connection connection, SwarmStack stack, Progress progress,
                                       Masker masker) {
        masker.add(connection.privateKey());
        SshAgent agent = connection.privateKey() == null ? null : SshAgent.start(executor, connection.privateKey());
        try {
            RemoteSession session = SshSession.open(executor, connection.target(), agent == null ? null : agent.socket(),
                    progress::output);
            return open(session, agent, stack, masker, progress);
        } catch (RuntimeException e) {
            if (agent != null) {
                agent.close();
            }
            throw e;
        }
    }

    /** Opens the stack over an existing session (a dry run's, or a test's). */
    public static SwarmManager open(RemoteSession session, SshAgent agent, SwarmStack stack, Masker masker, Progress progress) {
        SwarmManager manager = new SwarmManager(session, agent, stack, masker, progress);
        try {
            ShellResult checked = session.run(manager.scripts.manager());
            if (!checked.ok()) {
                throw new EverbitException(manager.failure(checked) + (checked.exitCode() == SwarmScripts.NOT_A_MANAGER
                        ? " ({host} must be a manager of the swarm: docker node ls there lists the managers)" : ""));
            }
            manager.node = checked.lines().stream().filter(l -> l.startsWith("node=")).findFirst()
                    .map(l -> Printable.of(l.substring("node=".length()))).orElse("?");
            progress.info("Swarm manager " + manager.node + ", stack " + stack.stack() + ", service " + stack.swarmService());
            return manager;
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public SwarmStack stack() {
        return stack;
    }

    /** The manager's node name, as Docker names it. */
    public String node() {
        return node;
    }

    public Masker masker() {
        return masker;
    }

    /** The session, for probes that run on the manager. */
    public RemoteSession shell() {
        return session;
    }

    /** The deploy dir and every compose file exist on the manager. */
    public void checkFiles() {
        stack.requireFiles();
        ShellResult checked = session.run(scripts.files());
        if (!checked.ok()) {
            throw new EverbitException(failure(checked) + (checked.exitCode() == SwarmScripts.MISSING
                    ? " (check {dir} and {compose})" : ""));
        }
    }

    /**
     * Takes the stack's lock, waiting up to {@code timeoutSeconds} while another command holds it. The lock expires
     * {@code limitSeconds} after it was taken (the longest this command can run): a command that dies holding it
     * (killed, cut off from its manager) holds the stack no longer than that. {@link #close()} releases it.
     */
    public void lock(String holder, int limitSeconds, int timeoutSeconds) {
        ShellResult locked = session.run(scripts.lock(holder, limitSeconds, timeoutSeconds));
        locked.lines().stream().filter(l -> l.startsWith("stale=")).forEach(l -> progress.warn("removed a stale lock of "
                + stack.stack() + " (past its expiry: its command ended without releasing it): " + Printable.of(l.substring(6))));
        if (locked.exitCode() == SwarmScripts.LOCKED) {
            String held = locked.lines().stream().filter(l -> l.startsWith("held=")).findFirst()
                    .map(l -> l.substring("held=".length())).orElse("");
            String[] f = held.split(" ", 3);
            String holderSaid = f.length == 3 ? Printable.of(f[2]) : "?";
            String since = f.length == 3 ? epoch(f[0]) : "?";
            throw new EverbitException("the deploy lock of stack " + stack.stack() + " is held by " + holderSaid
                    + " since " + since + " (lock " + stack.lockName() + ", it expires at " + (f.length == 3 ? epoch(f[1]) : "?")
                    + "); another deploy or rollback is running: wait for it, or raise {lockTimeout}");
        }
        String id = locked.lines().stream().filter(l -> l.startsWith("lock=")).findFirst()
                .map(l -> l.substring("lock=".length()).strip()).orElse("");
        if (!locked.ok() || !CONFIG_ID.matcher(id).matches()) {
            throw new EverbitException("taking the deploy lock of stack " + stack.stack() + " failed (exit "
                    + locked.exitCode() + "): " + failure(locked));
        }
        lockId = id;
        progress.info("took the lock " + stack.lockName() + " of the cluster as " + Printable.of(holder));
    }

    /** Who holds the stack's lock, in words ("alice@ci since ..., expires at ..."), or null when it is free. */
    public String lockHolder() {
        ShellResult read = session.run(scripts.lockHeld());
        if (!read.ok()) {
            throw new EverbitException("reading the lock " + stack.lockName() + " failed (exit " + read.exitCode() + "): "
                    + failure(read));
        }
        return read.lines().stream().filter(l -> l.startsWith("held=")).findFirst().map(l -> {
            String[] f = l.substring("held=".length()).split(" ", 3);
            return f.length == 3 ? Printable.of(f[2]) + " since " + epoch(f[0]) + ", expires at " + epoch(f[1])
                    : "(unreadable labels)";
        }).orElse(null);
    }

    private static String epoch(String seconds) {
        try {
            return java.time.Instant.ofEpochSecond(Long.parseLong(seconds)).toString();
        } catch (NumberFormatException e) {
            return "?";
        }
    }

    /**
     * The stack's ledger from the cluster: every entry config, in the order of their numbers, each read as the file
     * ledger reads a line (validated: a value that is not what the tool writes makes the entry unreadable).
     */
    public Ledger ledger() {
        ShellResult read = session.run(scripts.ledger());
        if (!read.ok()) {
            throw new EverbitException("reading the ledger of " + stack.swarmService() + " from the cluster failed (exit "
                    + read.exitCode() + "): " + failure(read));
        }
        record Numbered(int number, String line) {
        }
        List<Numbered> entries = new ArrayList<>();
        int highest = 0;
        for (String line : read.lines()) {
            if (line.isBlank()) {
                continue;
            }
            Matcher m = LEDGER_LINE.matcher(line.strip());
            int number = m.matches() ? stack.ledgerNumber(m.group(1)) : -1;
            String text;
            try {
                text = number < 0 ? line : new String(Base64.getDecoder().decode(m.group(2)), StandardCharsets.UTF_8).strip();
            } catch (IllegalArgumentException e) {
                text = line;
            }
            highest = Math.max(highest, number);
            entries.add(new Numbered(number < 0 ? Integer.MAX_VALUE : number, text.contains("\n") ? line : text));
        }
        nextNumber = highest + 1;
        entries.sort(java.util.Comparator.comparingInt(Numbered::number));
        Ledger ledger = Ledger.parse(entries.stream().map(Numbered::line).toList(), stack.image());
        if (!ledger.unreadableLines().isEmpty()) {
            progress.warn("the cluster's ledger of " + stack.swarmService() + " has " + ledger.unreadableLines().size()
                    + " unreadable " + (ledger.unreadableLines().size() == 1 ? "entry" : "entries")
                    + (ledger.damagedAfterLastEntry() ? ", the newest among them" : "")
                    + "; the history may be incomplete (docker config ls --filter label=everbit.ledger="
                    + stack.ledgerKey() + ")");
        }
        return ledger;
    }

    /** Adds an entry to the cluster's ledger, as the next number; read back, so that the record is an observation. */
    public void record(LedgerEntry entry) {
        if (nextNumber < 0) {
            ledger();
        }
        String json = Ledger.toJson(entry);
        ShellResult written = session.run(scripts.record(nextNumber, json));
        if (!written.ok()) {
            throw new EverbitException("recording " + entry.action() + " " + entry.result() + " of " + entry.sha()
                    + " in the cluster's ledger failed (exit " + written.exitCode() + "): " + failure(written));
        }
        int number = nextNumber;
        Ledger after = ledger();
        if (after.entries().isEmpty() || !Ledger.toJson(after.entries().get(after.entries().size() - 1)).equals(json)) {
            throw new EverbitException("the cluster's ledger of " + stack.swarmService() + " does not end with the entry"
                    + " just written (" + stack.ledgerName(number) + ")");
        }
    }

    public ServiceState state() {
        ShellResult read = session.run(scripts.state());
        if (!read.ok()) {
            throw new EverbitException("reading the state of " + stack.swarmService() + " failed (exit " + read.exitCode()
                    + "): " + failure(read));
        }
        return ServiceState.parse(read.lines(), stack.image());
    }

    /** Writes the pin naming {@code image} and runs docker stack deploy with it; the rollout is the swarm's. */
    public void deploy(String image, RegistryLogin login) {
        require(scripts.pin(image));
        ShellResult deployed = session.run(scripts.deploy(login));
        if (!deployed.ok()) {
            throw new EverbitException("on " + node + ", docker stack deploy " + stack.stack() + " failed (exit "
                    + deployed.exitCode() + "): " + failure(deployed));
        }
    }

    private void require(RemoteScript script) {
        ShellResult result = session.run(script);
        if (!result.ok()) {
            throw new EverbitException("on " + node + ", '" + script.label() + "' failed (exit " + result.exitCode() + "): "
                    + failure(result));
        }
    }

    private String failure(ShellResult result) {
        return Printable.of(masker.mask(result.lastLine()).replace("everbit: ", ""));
    }

    /** Ends the connection at once (the process is being stopped); the lock stays until it expires. */
    public void abort() {
        session.abort();
        if (agent != null) {
            agent.close();
        }
    }

    /** Releases the lock when this command holds it, then ends the session. */
    @Override
    public void close() {
        try {
            if (lockId != null) {
                ShellResult released = session.run(scripts.unlock(lockId));
                if (!released.ok() || !released.lastLine().isEmpty()) {
                    progress.warn("releasing the lock " + stack.lockName() + ": " + failure(released));
                }
                lockId = null;
            }
        } catch (RuntimeException e) {
            progress.warn("releasing the lock " + stack.lockName() + " failed (" + Printable.of(e.getMessage())
                    + "): it expires by itself");
        } finally {
            try {
                session.close();
            } finally {
                if (agent != null) {
                    agent.close();
                }
            }
        }
    }
}
