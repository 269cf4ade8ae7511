package kr.everbit.deploy.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import kr.everbit.deploy.engine.ImageRef;
import kr.everbit.deploy.engine.Release;
import kr.everbit.deploy.engine.docker.BuildImage;
import kr.everbit.deploy.engine.docker.BuildRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "build", mixinStandardHelpOptions = true, description = "Build REPO:SHA locally, with OCI labels.")
final class BuildCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Option(names = "--image", required = true, paramLabel = "REPO", description = "Image repository without tag.")
    String image;

    @Option(names = "--sha", required = true, description = "The release: the git commit SHA (7-40 lowercase hex).")
    String sha;

    @Option(names = "--context", defaultValue = ".", paramLabel = "DIR", description = "Build context (default: .).")
    String context;

    @Option(names = "--file", paramLabel = "DOCKERFILE", description = "Dockerfile (default: DIR/Dockerfile).")
    String dockerfile;

    @Option(names = "--build-arg", paramLabel = "K=V", description = "Build argument; repeatable.")
    List<String> buildArgs = List.of();

    @Option(names = "--source", paramLabel = "URL", description = "Source repository URL for the OCI source label.")
    String source;

    @Option(names = "--dry-run", description = "Print the commands, run nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        Context ctx = main.context();
        Map<String, String> args = new LinkedHashMap<>();
        buildArgs.stream().map(BuildRequest::parseArg).forEach(e -> args.put(e.getKey(), e.getValue()));
        BuildRequest request = new BuildRequest(ImageRef.of(image), Release.of(sha),
                LocalFiles.requireDirectory("--context", context).toString(),
                dockerfile == null ? null : LocalFiles.requireReadable("--file", dockerfile).toString(), args, source);
        String built = new BuildImage(ctx.executor(dryRun), ctx.progress).run(request);
        ctx.out.println(built);
        return 0;
    }
}
