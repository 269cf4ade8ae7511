package kr.everbit.deploy.engine.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import kr.everbit.deploy.engine.EverbitException;
import kr.everbit.deploy.engine.Masker;
import kr.everbit.deploy.engine.Progress;
import kr.everbit.deploy.engine.Release;
import kr.everbit.deploy.engine.exec.Executor;
import kr.everbit.deploy.engine.ledger.Ledger;
import kr.everbit.deploy.engine.ledger.LedgerEntry;
import kr.everbit.deploy.engine.proxy.ProxySettings;
import kr.everbit.deploy.engine.remote.BatchStep;
import kr.everbit.deploy.engine.remote.ComposeProject;
import kr.everbit.deploy.engine.remote.RecordedCompose;
import kr.everbit.deploy.engine.remote.RemoteScript;
import kr.everbit.deploy.engine.remote.RemoteScripts;
import kr.everbit.deploy.engine.remote.RemoteSession;
import kr.everbit.deploy.engine.remote.RemoteShell;
import kr.everbit.deploy.engine.remote.ShellResult;
import kr.everbit.deploy.engine.remote.StartRules;
import kr.everbit.deploy.engine.ssh.Connection;
import kr.everbit.deploy.engine.ssh.SshAgent;
import kr.everbit.deploy.engine.ssh.SshSession;

/**
 * The compose project on the VM, reached over one SSH session for the whole command. Flows (up, rollback,
 * status, verify) ask it for the ledger, the pin and the lock; it runs {@link RemoteScripts} and says plainly
 * when one fails.
 */
public final class Vm implements AutoCloseable {
    /** The {@code at} of a ledger line written by the VM side's recovery: the time it writes it. */
    static final String RECOVERY_TIME = RemoteScripts.RECOVERY_TIME;
    private final RemoteSession session;
    private final SshAgent agent;
    private final ComposeProject project;
    private final RemoteScripts scripts;
    private final Masker masker;
    private final Progress progress;
    private ProxySettings proxy;
    private StartRules startRules = StartRules.defaults();

    Vm(RemoteSession session, SshAgent agent, ComposeProject project, Masker masker, Progress progress) {
        this.session = session;
        this.agent = agent;
        this.project = project;
        this.scripts = new RemoteScripts(project);
        this.masker = masker;
        this.progress = progress;
    }

    /**
     * Connects (one SSH connection), enters the deploy dir and picks the compose command: the project's opening goes
     * with the session's hello, in one round trip.
     */
    public static Vm connect(Executor executor, Connection connection, ComposeProject project, Progress progress, Masker masker) {
        return connect(executor, connection, null, project, progress, masker);
    }

    /**
     * As {@link #connect(Executor, Connection, ComposeProject, Progress, Masker)}, with the project found over the
     * new session first (e.g. {@link RecordedCompose#files}), so the command still uses one connection.
     */
    public static Vm connect(Executor executor, Connection connection, Function<RemoteShell, ComposeProject> project,
            Progress progress, Masker masker) {
        return connect(executor, connection, project, null, progress, masker);
    }

    /** With {@code known} the project, else {@code find} finds it over the session. */
    private static Vm connect(Executor executor, Connection connection, Function<RemoteShell, ComposeProject> find,
            ComposeProject known, Progress progress, Masker masker) {
        masker.add(connection.privateKey());
        SshAgent agent = connection.privateKey() == null ? null : SshAgent.start(executor, connection.privateKey());
        try {
            SshSession.Opened opened = SshSession.open(executor, connection.target(), agent == null ? null : agent.socket(),
                    progress::output, known == null ? null : new RemoteScripts(known).openProject());
            RemoteSession session = opened.session();
            ComposeProject found;
            try {
                found = known != null ? known : find.apply(session);
            } catch (RuntimeException e) {
                session.close();
                throw e;
            }
            Vm vm = new Vm(session, agent, found, masker, progress);
            vm.opened(opened.first() != null ? opened.first() : session.runInSession(vm.scripts.openProject()));
            return vm;
        } catch (RuntimeException e) {
            if (agent != null) {
                agent.close();
            }
            throw e;
        }
    }

    /** Opens the project over a session that has not asked for it yet (a test's double). */
    public static Vm open(RemoteSession session, SshAgent agent, ComposeProject project, Masker masker, Progress progress) {
        Vm vm = new Vm(session, agent, project, masker, progress);
        vm.opened(session.runInSession(vm.scripts.openProject()));
        return vm;
    }

    /** As {@link #open}, over a session that already ran {@link RemoteScripts#openProject} with its hello. */
    public static Vm opened(RemoteSession session, ComposeProject project, ShellResult openAnswer, Masker masker,
            Progress progress) {
        Vm vm = new Vm(session, null, project, masker, progress);
        vm.opened(openAnswer);
        return vm;
    }

    /** Takes the answer to {@link RemoteScripts#openProject}: fails, the session closed, when the project did not open. */
    private void opened(ShellResult opened) {
        if (!opened.ok()) {
            close();
            throw new EverbitException(opened.lastLine().replace("everbit: ", "")
                    + (opened.exitCode() == RemoteScripts.MISSING ? " (check {dir} and {compose})" : ""));
        }
        opened.lines().stream().filter(l -> l.startsWith("compose=")).findFirst()
                .ifPresent(l -> progress.info("compose " + l.substring("compose=".length()) + " on the VM"));
    }

    public ComposeProject project() {
        return project;
    }

    public RemoteScripts scripts() {
        return scripts;
    }

    /** The session, for probes that run on the VM. */
    public RemoteSession shell() {
        return session;
    }

    public Masker masker() {
        return masker;
    }

    /** Switches this command's releases through Nginx ({@code engine/proxy}); null (the default): restart mode. */
    public void useProxy(ProxySettings settings) {
        this.proxy = settings;
    }

    public ProxySettings proxy() {
        return proxy;
    }

    /** When this command's releases count as started (the defaults unless a door sets them). */
    public void useStartRules(StartRules rules) {
        this.startRules = rules;
    }

    public StartRules startRules() {
        return startRules;
    }

    /**
     * Takes the deploy lock for the rest of this session, waiting up to {@code timeoutSeconds}, and, in the same round
     * trip, under it, what {@link #beforeASwitch} reads: the VM runs none of that unless it got the lock. Fails only
     * when the lock was not had; {@link #beforeASwitch} says what the rest found. {@code more}, the caller's, run last,
     * after any recovery, and their answers are {@link Locked#more}'s.
     */
    public Locked lock(int timeoutSeconds, String holder, List<BatchStep> more) {
        List<BatchStep> steps = new ArrayList<>(List.of(BatchStep.requiredInSession(scripts.lock(timeoutSeconds, holder)),
                // The check runs in the session's shell: the project it finds is kept there for the scripts after it.
                BatchStep.requiredInSession(scripts.checkProject()), BatchStep.required(RecordedCompose.record(project)),
                // The VM bounds the recovery by the limit the in-flight file names (at most the longest health timeout's).
                BatchStep.any(scripts.recoverLeftover(RemoteScripts.recoveryLimit(3600) + 60)),
                BatchStep.any(scripts.readLedger()), BatchStep.any(scripts.readPin())));
        steps.addAll(more);
        List<ShellResult> answers = session.runAll(steps);
        ShellResult locked = answers.get(0);
        if (!locked.ok()) {
            throw new EverbitException(locked.lastLine().replace("everbit: ", "")
                    + "; another deploy or rollback is running: wait for it, or raise {lockTimeout}");
        }
        return new Locked(answers.subList(1, steps.size() - more.size()), answers.subList(steps.size() - more.size(), steps.size()));
    }

    /** What {@link #lock} read under the lock, for {@link #beforeASwitch}, and the answers to the caller's steps. */
    public static final class Locked {
        private final List<ShellResult> answers;
        private final List<ShellResult> more;

        private Locked(List<ShellResult> answers, List<ShellResult> more) {
            this.answers = answers;
            this.more = more;
        }

        /** The answers to the steps the caller added, in their order. */
        public List<ShellResult> more() {
            return more;
        }
    }

    /**
     * The ledger; every command that reads it warns about unreadable lines, so none acts on damaged history unsaid,
     * and about a restore of the current release that did not become healthy.
     */
    public Ledger ledger() {
        return ledger(require(scripts.readLedger()));
    }

    /** {@link #ledger()} from the answer of {@link RemoteScripts#readLedger()}. */
    Ledger ledger(ShellResult read) {
        Ledger ledger = Ledger.parse(read.lines(), project.image());
        int unreadable = ledger.unreadableLines().size();
        if (unreadable > 0) {
            progress.warn(project.dir() + "/" + ComposeProject.LEDGER_FILE + " has " + unreadable
                    + (unreadable == 1 ? " unreadable line" : " unreadable lines") + " (" + lineNumbers(ledger) + ")"
                    + (ledger.damagedAfterLastEntry() ? ", the last one among them" : "")
                    + "; the history may be incomplete (everbit-deploy status shows what is readable)");
        }
        if (ledger.currentRestoreFailed()) {
            progress.warn(restoreFailed(ledger));
        }
        return ledger;
    }

    static String lineNumbers(Ledger ledger) {
        List<Integer> at = ledger.unreadableLineNumbers();
        return (at.size() == 1 ? "line " : "lines ") + at.stream().limit(10).map(String::valueOf)
                .collect(java.util.stream.Collectors.joining(", ")) + (at.size() > 10 ? ", ..." : "");
    }

    /** What {@link Ledger#currentRestoreFailed()} means for an operator. */
    static String restoreFailed(Ledger ledger) {
        LedgerEntry last = ledger.entries().get(ledger.entries().size() - 1);
        return "the last restore of " + last.sha() + " (" + last.at() + ") did not become healthy: the VM runs nothing"
                + " healthy until a release succeeds (see .everbit/recovery.log on the VM, and docker ps)";
    }

    public void record(LedgerEntry entry) {
        require(scripts.appendLedger(Ledger.toJson(entry)));
    }

    /**
     * The step that marks a release switch as in flight, first in the round trip of the switch (the VM runs nothing
     * after it unless it succeeded; the caller passes its answer to {@link #begun}): from then until {@link #endSwitch},
     * however this command ends, the VM side pins {@code restoreImage} again (none: stops the service), waits until it
     * is healthy and appends {@code ifInterrupted} to the ledger (their {@code at} is the recovery's time); when the
     * restore does not become healthy, the last of them, the restore, is recorded as failed instead. Marking it again
     * replaces both.
     */
    public BatchStep beginSwitchStep(String restoreImage, int healthTimeoutSeconds, List<LedgerEntry> ifInterrupted) {
        return BatchStep.requiredInSession(beginSwitchScript(restoreImage == null ? List.of()
                : RemoteScripts.writePinCall(ComposeProject.RESTORE_PIN_FILE, restoreImage),
                restoreImage == null ? "none" : "image " + restoreImage, healthTimeoutSeconds, ifInterrupted));
    }

    /**
     * As {@link #beginSwitchStep(String, int, List)}, with the call that writes what to restore (a proxy switch's
     * restore file: {@link kr.everbit.deploy.engine.proxy.ProxyScripts#writeRestoreCall}).
     */
    public BatchStep beginSwitchStep(List<String> writeProxyRestore, int healthTimeoutSeconds, List<LedgerEntry> ifInterrupted) {
        return BatchStep.requiredInSession(beginSwitchScript(writeProxyRestore, "proxy", healthTimeoutSeconds, ifInterrupted));
    }

    private RemoteScript beginSwitchScript(List<String> writeRestore, String restore, int healthTimeoutSeconds,
                                           List<LedgerEntry> ifInterrupted) {
        List<String> restored = ifInterrupted.stream().map(Ledger::toJson).toList();
        List<String> notRestored = ifInterrupted.isEmpty() ? List.of()
                : java.util.stream.Stream.concat(ifInterrupted.stream().limit(ifInterrupted.size() - 1),
                        java.util.stream.Stream.of(notRestored(ifInterrupted.get(ifInterrupted.size() - 1))))
                        .map(Ledger::toJson).toList();
        return scripts.beginSwitch(writeRestore, restore, healthTimeoutSeconds, restored, notRestored);
    }

    /** Fails, saying that nothing was changed, when marking the switch as in flight failed ({@code begun}: its answer). */
    public void begun(ShellResult begun) {
        if (!begun.ok()) {
            throw new EverbitException("on the VM, marking the switch as in flight failed (exit " + begun.exitCode() + "): "
                    + masker.mask(begun.lastLine()) + "; nothing was changed");
        }
    }

    /** The ledger line of a restore that did not become healthy: the same release, failed, saying so. */
    private static LedgerEntry notRestored(LedgerEntry restore) {
        if (!restore.succeeded()) {
            return restore;
        }
        return new LedgerEntry(restore.sha(), restore.image(), restore.digest(), restore.action(), LedgerEntry.FAILED,
                restore.from(), restore.startedAt(), restore.at(), restore.actor(), restore.reason()
                + "; the VM's restore of it did not become healthy: the VM runs nothing healthy");
    }

    /** Ends the in-flight switch, recording {@code entry} (null: nothing) in the same step. */
    public void endSwitch(LedgerEntry entry) {
        ended(session.runInSession(endSwitchStep(entry).script()));
    }

    /** {@link #endSwitch} as a step of a round trip; the caller passes its answer to {@link #ended}. */
    public BatchStep endSwitchStep(LedgerEntry entry) {
        return BatchStep.requiredInSession(scripts.endSwitch(entry == null ? null : Ledger.toJson(entry)));
    }

    /** Fails when ending the switch failed ({@code ended}: its answer). */
    public void ended(ShellResult ended) {
        if (!ended.ok()) {
            throw new EverbitException("on the VM, '" + scripts.endSwitch(null).label() + "' failed (exit " + ended.exitCode()
                    + "): " + masker.mask(ended.lastLine()));
        }
    }

    /**
     * What a switch starts from, read under the lock by {@link #beforeASwitch}.
     *
     * @param ledger the ledger, after any recovery of an earlier switch
     * @param pinned the image the pin file names, or null before the first release
     */
    public record Start(Ledger ledger, String pinned) {
    }

    /**
     * What every switch does first, under the lock (read in {@link #lock}'s round trip): refuse a compose project
     * shared with another deploy dir, record its compose files (for {@code verify}), finish a switch an earlier command
     * left in flight, then read the ledger and the pin. The VM ran them in this order, and nothing after a refusal.
     */
    public Start beforeASwitch(Locked locked) {
        List<ShellResult> answers = locked.answers;
        checkProject(answers.get(0));
        required(RecordedCompose.record(project), answers.get(1));
        recoverLeftover(answers.get(2));
        return new Start(ledger(required(scripts.readLedger(), answers.get(3))), pinned(required(scripts.readPin(), answers.get(4))));
    }

    /** Refuses, before anything changes, a deploy dir whose compose project holds another deploy dir's containers. */
    private static void checkProject(ShellResult checked) {
        if (!checked.ok()) {
            throw new EverbitException(checked.lastLine().replace("everbit: ", ""));
        }
    }

    /**
     * Under the lock: a switch that an earlier command left in flight, and that its guardian could not finish,
     * is finished now (its restore pinned and started, its ledger lines written), before anything reads the ledger.
     */
    private void recoverLeftover(ShellResult recovered) {
        if (recovered.exitCode() == RemoteScripts.DAMAGED) {
            throw new EverbitException(masker.mask(recovered.lastLine()).replace("everbit: ", ""));
        }
        if (!recovered.ok()) {
            progress.warn("recovering the switch an earlier command left in flight did not end healthy (exit "
                    + recovered.exitCode() + "): " + masker.mask(recovered.lastLine()));
        }
    }

    /** Records that release {@code sha} failed its checks, so that the ledger's "previous" skips it from now on. */
    public void recordFailedChecks(String sha, String digest, String actor, String reason) {
        record(failedChecks(sha, digest, actor, reason));
    }

    /** The ledger line of {@link #recordFailedChecks}, for a caller that sends it with other steps. */
    LedgerEntry failedChecks(String sha, String digest, String actor, String reason) {
        String now = Clock.now();
        return new LedgerEntry(sha, project.image().tagged(Release.of(sha)), digest,
                LedgerEntry.VERIFY, LedgerEntry.FAILED, null, now, now, actor, reason);
    }

    /** The image the pin file names, or null before the first release. */
    public String pinnedImage() {
        return pinned(require(scripts.readPin()));
    }

    private static String pinned(ShellResult read) {
        return read.lines().stream().filter(l -> !l.isBlank()).findFirst().orElse(null);
    }

    /** Runs a script; returns its result whatever its exit code. */
    public ShellResult run(RemoteScript script) {
        return session.run(script);
    }

    /** Runs a script that must succeed; otherwise fails with its label and its last line. */
    public ShellResult require(RemoteScript script) {
        return required(script, session.run(script));
    }

    /**
     * Runs {@code steps} in one round trip ({@link RemoteSession#runAll}); the caller reads each answer, with
     * {@link #required} where the step must have succeeded.
     */
    public List<ShellResult> runAll(List<BatchStep> steps) {
        return session.runAll(steps);
    }

    /** As {@link #runAll(List)}, telling {@code answered} each answer as it arrives ({@link RoundTrip}). */
    List<ShellResult> runAll(List<BatchStep> steps, BiConsumer<Integer, ShellResult> answered) {
        return session.runAll(steps, answered);
    }

    /** {@code result}, the answer to {@code script}, when it succeeded; otherwise fails as {@link #require} does. */
    public ShellResult required(RemoteScript script, ShellResult result) {
        if (!result.ok()) {
            throw new EverbitException("on the VM, '" + script.label() + "' failed (exit " + result.exitCode() + "): "
                    + masker.mask(result.lastLine()));
        }
        return result;
    }

    /** Ends the connection at once (the process is being stopped): see {@link RemoteSession#abort()}. */
    public void abort() {
        session.abort();
        if (agent != null) {
            agent.close();
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } finally {
            if (agent != null) {
                agent.close();
            }
        }
    }
}
