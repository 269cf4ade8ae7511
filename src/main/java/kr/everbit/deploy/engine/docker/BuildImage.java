package kr.everbit.deploy.engine.docker;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import kr.everbit.deploy.engine.EverbitException;
import kr.everbit.deploy.engine.Progress;
import kr.everbit.deploy.engine.Steps;
import kr.everbit.deploy.engine.exec.Executor;
import kr.everbit.deploy.engine.exec.Result;

/** Builds {@code REPO:SHA} with OCI labels; works with the legacy builder and with BuildKit alike. */
public final class BuildImage {
    /** A build never holds an agent for good: a step that hangs (a download, a stuck daemon) ends here. */
    public static final Duration LIMIT = Duration.ofMinutes(60);
    private final Executor executor;
    private final Progress progress;

    public BuildImage(Executor executor, Progress progress) {
        this.executor = executor;
        this.progress = progress;
    }

    /** Returns the image built, {@code REPO:SHA}. */
    public String run(BuildRequest request) {
        String image = request.image().tagged(request.release());
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("org.opencontainers.image.revision", request.release().sha());
        labels.put("org.opencontainers.image.created", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        if (request.source() != null) {
            labels.put("org.opencontainers.image.source", request.source());
        }
        long started = System.nanoTime();
        Result built = new Steps(progress).run("build " + image, () -> executor.run(
                DockerCommands.build(image, request.context(), request.dockerfile(), request.buildArgs(), labels)
                        .withLimit(LIMIT), progress::output));
        if (!built.ok() && System.nanoTime() - started >= LIMIT.toNanos()) {
            throw new EverbitException("docker build of " + image + " did not finish within " + LIMIT.toMinutes()
                    + " min and was ended: check the Dockerfile's steps (a download that hangs) and the docker daemon");
        }
        if (!built.ok()) {
            throw new EverbitException("docker build of " + image + " failed (exit " + built.exitCode() + "): "
                    + built.lastErrorLine());
        }
        return image;
    }
}
