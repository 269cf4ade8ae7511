package kr.everbit.deploy.cli;

import java.util.concurrent.Callable;
import kr.everbit.deploy.engine.ImageRef;
import kr.everbit.deploy.engine.InvalidInputException;
import kr.everbit.deploy.engine.Release;
import kr.everbit.deploy.engine.docker.PushImage;
import kr.everbit.deploy.engine.RegistryLogin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

@Command(name = "push", mixinStandardHelpOptions = true, description = "Push REPO:SHA with a throw-away login; prints the digest.")
final class PushCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Mixin
    LocalImageOptions target;

    @Mixin
    RegistryOptions registry;

    @Override
    public Integer call() {
        Context ctx = main.context();
        ImageRef repository = target.repository();
        Release release = target.release();
        RegistryLogin login = registry.login(System.in, ctx);
        if (login == null) {
            throw new InvalidInputException("push needs --registry-user and a token (--registry-token-file or --registry-token-stdin)");
        }
        ctx.out.println(new PushImage(ctx.executor(target.dryRun), ctx.progress, ctx.masker).run(repository, release, login));
        return 0;
    }
}
