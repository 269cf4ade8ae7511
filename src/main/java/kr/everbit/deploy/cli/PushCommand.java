package kr.everbit.deploy.cli;

import java.util.concurrent.Callable;
import kr.everbit.deploy.engine.ImageRef;
import kr.everbit.deploy.engine.InvalidInputException;
import kr.everbit.deploy.engine.Release;
import kr.everbit.deploy.engine.docker.PushImage;
import kr.everbit.deploy.engine.flow.RegistryLogin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "push", mixinStandardHelpOptions = true, description = "Push REPO:SHA with a throw-away login; prints the digest.")
final class PushCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Option(names = "--image", required = true, paramLabel = "REPO", description = "Image repository without tag.")
    String image;

    @Option(names = "--sha", required = true, description = "The release: the git commit SHA (7-40 lowercase hex).")
    String sha;

    @Mixin
    RegistryOptions registry;

    @Option(names = "--dry-run", description = "Print the commands, run nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        Context ctx = main.context();
        ImageRef repository = ImageRef.of(image);
        Release release = Release.of(sha);
        RegistryLogin login = registry.login(System.in, ctx.progress);
        if (login == null) {
            throw new InvalidInputException("push needs --registry-user and a token (--registry-token-file or --registry-token-stdin)");
        }
        ctx.out.println(new PushImage(ctx.executor(dryRun), ctx.progress, ctx.masker).run(repository, release, login));
        return 0;
    }
}
