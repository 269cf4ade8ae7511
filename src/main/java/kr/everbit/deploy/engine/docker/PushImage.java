package kr.everbit.deploy.engine.docker;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kr.everbit.deploy.engine.EverbitException;
import kr.everbit.deploy.engine.ImageRef;
import kr.everbit.deploy.engine.Masker;
import kr.everbit.deploy.engine.Progress;
import kr.everbit.deploy.engine.Release;
import kr.everbit.deploy.engine.Steps;
import kr.everbit.deploy.engine.exec.Cleanup;
import kr.everbit.deploy.engine.exec.Command;
import kr.everbit.deploy.engine.exec.Executor;
import kr.everbit.deploy.engine.exec.Result;
import kr.everbit.deploy.engine.RegistryLogin;

/**
 * Pushes {@code REPO:SHA} with a login that lives only in a temporary docker config directory (mode 700, removed
 * afterwards, also on failure or abort): the token goes through stdin and never reaches {@code ~/.docker/config.json}.
 */
public final class PushImage {
    /** The login and the push together end here, so that a registry that stops answering never holds an agent for good. */
    public static final Duration LIMIT = Duration.ofMinutes(30);
    private static final Pattern DIGEST = Pattern.compile("digest: (sha256:[0-9a-f]{64})");
    private final Executor executor;
    private final Progress progress;
    private final Masker masker;

    public PushImage(Executor executor, Progress progress, Masker masker) {
        this.executor = executor;
        this.progress = progress;
        this.masker = masker;
    }

    /** Returns the digest the registry gave the pushed image. */
    public String run(ImageRef repository, Release release, RegistryLogin login) {
        masker.add(login.token());
        String image = repository.tagged(release);
        Steps steps = new Steps(progress);
        Consumer<String> quiet = line -> { };
        if (!executor.run(DockerCommands.imageExists(image), quiet).ok()) {
            throw new EverbitException(image + " is not a local image: build it first (everbit-deploy build)");
        }
        Result tmp = Cleanup.creating(executor, Command.of("mktemp", "-d"));
        if (!tmp.ok()) {
            throw new EverbitException("cannot create a temporary docker config directory: " + tmp.lastErrorLine());
        }
        String config = tmp.stdout().strip();
        try {
            Result filled = executor.run(DockerCommands.isolatedConfig(config, repository.registry()), quiet);
            if (!filled.ok()) {
                throw new EverbitException("cannot write the temporary docker config: " + filled.lastErrorLine());
            }
            long started = System.nanoTime();
            Result in = steps.run("log in to " + repository.registry(), () -> executor.run(
                    DockerCommands.login(config, repository.registry(), login.user()).withStdin(login.token())
                            .withLimit(LIMIT), quiet));
            if (!in.ok()) {
                throw new EverbitException("the registry " + repository.registry() + " refused the login of '" + login.user()
                        + "' (" + masker.mask(in.lastErrorLine()) + "): check the user and the token (GHCR needs write:packages)");
            }
            Duration left = LIMIT.minusNanos(System.nanoTime() - started);
            Result pushed = steps.run("push " + image, () -> executor.run(DockerCommands.push(config, image)
                    .withLimit(left.isNegative() ? Duration.ofSeconds(1) : left), progress::output));
            if (!pushed.ok() && System.nanoTime() - started >= LIMIT.toNanos()) {
                throw new EverbitException("docker push of " + image + " did not finish within " + LIMIT.toMinutes()
                        + " min (login included) and was ended: check the connection to " + repository.registry()
                        + " and the docker daemon");
            }
            if (!pushed.ok()) {
                throw new EverbitException("docker push of " + image + " failed: " + masker.mask(pushed.lastErrorLine()));
            }
            Matcher digest = DIGEST.matcher(pushed.stdout());
            if (!digest.find()) {
                throw new EverbitException("docker push of " + image + " printed no digest");
            }
            progress.info("pushed " + image + "@" + digest.group(1));
            return digest.group(1);
        } finally {
            Cleanup.commands(executor, DockerCommands.logout(config, repository.registry()), Command.of("rm", "-rf", config));
        }
    }
}
