package kr.everbit.deploy.engine.ssh;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kr.everbit.deploy.engine.EverbitException;
import kr.everbit.deploy.engine.Secret;
import kr.everbit.deploy.engine.exec.Cleanup;
import kr.everbit.deploy.engine.exec.Command;
import kr.everbit.deploy.engine.exec.Executor;
import kr.everbit.deploy.engine.exec.Result;

/**
 * A private OpenSSH agent holding one key that was handed to the engine as text (a Jenkins credential). The key
 * goes to {@code ssh-add -} through stdin, so it is never written to disk; closing stops the agent and removes its
 * directory, and so does a start that fails or is interrupted once the directory exists (the directory and the
 * agent are created whole, even on an interrupted thread: see {@link Cleanup#creating}). The agent holds the key for
 * {@link #KEY_LIFETIME} only: a step's one SSH connection authenticates right after the start, and an agent that
 * nobody stops (the JVM that started it crashed or was killed) must not keep a usable key.
 */
public final class SshAgent implements AutoCloseable {
    /** How long the agent keeps the key: the connection's authentication (ConnectTimeout 15 s) with a wide margin. */
    public static final Duration KEY_LIFETIME = Duration.ofMinutes(5);
    private static final Pattern PID = Pattern.compile("SSH_AGENT_PID=(\\d+)");
    private final Executor executor;
    private final String dir;
    private final String socket;
    private final String pid;

    private SshAgent(Executor executor, String dir, String socket, String pid) {
        this.executor = executor;
        this.dir = dir;
        this.socket = socket;
        this.pid = pid;
    }

    public static SshAgent start(Executor executor, Secret privateKey) {
        return start(executor, privateKey, KEY_LIFETIME);
    }

    /** As {@link #start(Executor, Secret)}, with the key kept for {@code lifetime} (whole seconds, at least one). */
    static SshAgent start(Executor executor, Secret privateKey, Duration lifetime) {
        Consumer<String> none = line -> { };
        Result tmp = Cleanup.creating(executor, Command.of("mktemp", "-d"));
        if (!tmp.ok()) {
            throw new EverbitException("cannot create a private directory for ssh-agent: " + tmp.lastErrorLine());
        }
        String dir = tmp.stdout().strip();
        String socket = dir + "/agent.sock";
        Result started;
        try {
            // Not cut short by an abort: an agent that forked before its pid was read would outlive the step.
            started = Cleanup.creating(executor, Command.of("ssh-agent", "-s", "-a", socket));
        } catch (RuntimeException e) {
            Cleanup.commands(executor, removeDir(dir));
            throw e;
        }
        Matcher pid = PID.matcher(started.stdout());
        if (!started.ok() || !pid.find()) {
            Cleanup.commands(executor, removeDir(dir));
            throw new EverbitException("cannot start ssh-agent: " + started.lastErrorLine());
        }
        SshAgent agent = new SshAgent(executor, dir, socket, pid.group(1));
        Result added;
        try {
            added = executor.run(Command.of("ssh-add", "-q", "-t", String.valueOf(Math.max(1, lifetime.toSeconds())), "-")
                    .withEnv("SSH_AUTH_SOCK", socket)
                    .withEnv("SSH_ASKPASS_REQUIRE", "never").withStdin(privateKey), none);
        } catch (RuntimeException e) {
            agent.close();
            throw e;
        }
        if (!added.ok()) {
            agent.close();
            throw new EverbitException("the SSH private key was refused by ssh-add (" + added.lastErrorLine()
                    + "); keys protected by a passphrase are not supported: store the key without one in the credential store");
        }
        return agent;
    }

    /** The value for {@code SSH_AUTH_SOCK}. */
    public String socket() {
        return socket;
    }

    /** Stops the agent and removes its directory, also after an abort (see {@link Cleanup}). */
    @Override
    public void close() {
        Cleanup.commands(executor,
                Command.of("ssh-agent", "-k").withEnv("SSH_AGENT_PID", pid).withEnv("SSH_AUTH_SOCK", socket),
                removeDir(dir));
    }

    private static Command removeDir(String dir) {
        return Command.of("rm", "-rf", dir);
    }
}
