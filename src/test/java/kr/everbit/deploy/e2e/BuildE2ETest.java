package kr.everbit.deploy.e2e;

import static kr.everbit.deploy.e2e.DeployFixture.randomSha;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import kr.everbit.deploy.engine.ImageRef;
import kr.everbit.deploy.engine.Progress;
import kr.everbit.deploy.engine.Release;
import kr.everbit.deploy.engine.docker.BuildImage;
import kr.everbit.deploy.engine.docker.BuildRequest;
import kr.everbit.deploy.engine.exec.Command;
import kr.everbit.deploy.engine.exec.Executor;
import kr.everbit.deploy.engine.exec.LocalExecutor;
import kr.everbit.deploy.engine.exec.Result;
import kr.everbit.deploy.engine.exec.RunningProcess;
import kr.everbit.deploy.sandbox.Sandbox;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code build} on the sandbox's dockerd, with the legacy builder and with BuildKit, checked on the image itself. */
class BuildE2ETest {
    private final Sandbox sandbox = Sandbox.get();

    @ParameterizedTest
    @ValueSource(strings = {"0", "1"})
    void buildsShaTaggedImagesWithOciLabelsBuildArgsAndAnotherDockerfile(String buildKit) throws Exception {
        Path context = Files.createTempDirectory("build-context");
        Files.copy(sandbox.appContext().resolve("busybox"), context.resolve("busybox"));
        Files.writeString(context.resolve("Other.Dockerfile"), "FROM scratch\nCOPY busybox /bin/busybox\nARG GREETING\nLABEL greeting=$GREETING\n");
        String sha = randomSha();
        String image = new BuildImage(new WithBuilder(buildKit), new Quiet()).run(new BuildRequest(
                ImageRef.of(sandbox.registryHost() + "/e2e/build"), Release.of(sha), context.toString(),
                context.resolve("Other.Dockerfile").toString(), Map.of("GREETING", "annyeong"), "https://github.com/everbit/server"));

        assertThat(image).isEqualTo(sandbox.registryHost() + "/e2e/build:" + sha);
        String labels = run("docker", "image", "inspect", "--format", "{{json .Config.Labels}}", image);
        assertThat(labels).contains("\"org.opencontainers.image.revision\":\"" + sha + "\"")
                .contains("\"org.opencontainers.image.source\":\"https://github.com/everbit/server\"")
                .contains("\"org.opencontainers.image.created\":\"20").contains("\"greeting\":\"annyeong\"");
        run("docker", "image", "rm", image);
    }

    private static String run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    /**
     * A local executor that picks the builder through DOCKER_BUILDKIT. BuildKit needs a docker client that has it
     * built in (Debian's docker.io) or the buildx plugin: for BuildKit, the client of Debian's package runs.
     */
    private static final class WithBuilder implements Executor {
        private final LocalExecutor local = new LocalExecutor();
        private final String buildKit;

        WithBuilder(String buildKit) {
            this.buildKit = buildKit;
        }

        private Command adapt(Command c) throws Exception {
            Command out = c.withEnv("DOCKER_BUILDKIT", buildKit);
            if (buildKit.equals("1") && c.argv().get(0).equals("docker")) {
                String debianDocker = BuildE2ETest.run("dpkg", "-L", "docker.io").lines().filter(l -> l.endsWith("bin/docker")).findFirst().orElseThrow();
                java.util.List<String> argv = new java.util.ArrayList<>(out.argv());
                argv.set(0, debianDocker);
                out = new Command(argv, out.env(), out.stdin());
            }
            return out;
        }

        @Override
        public Result run(Command command, Consumer<String> lines) {
            try {
                return local.run(adapt(command), lines);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public RunningProcess start(Command command) {
            throw new UnsupportedOperationException("build starts no session");
        }
    }

    private static final class Quiet implements Progress {
        public void info(String text) { }
        public void warn(String text) { }
        public void output(String line) { }
        public void stepDone(String step, Duration took, boolean ok) { }
    }
}
