package kr.everbit.deploy.jenkins;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * A test double of the StepContext Jenkins hands a step: it records how the step ended (onSuccess, onFailure), as
 * the flow graph would. The step's runtime comes from {@link EverbitExecution#withRuntime}, so it supplies nothing.
 * Given a launcher and a cookie, it is also the {@code node {}} block around the step: once the step has reported
 * its end, the block ends and its process killer ends every process carrying {@code JENKINS_NODE_COOKIE=cookie}
 * (ExecutorStepExecution.PlaceholderTask.finish), whether or not the step's thread is still cleaning up.
 */
final class TestStepContext extends StepContext {
    private static final long serialVersionUID = 1L;
    final transient CompletableFuture<Object> ended = new CompletableFuture<>();
    private final transient TestLauncher node;
    private final String cookie;

    TestStepContext() {
        this(null, null);
    }

    TestStepContext(TestLauncher node, String cookie) {
        this.node = node;
        this.cookie = cookie;
    }

    @Override
    public <T> T get(Class<T> key) {
        return null;
    }

    @Override
    public void onSuccess(Object result) {
        ended.complete(result);
        endNodeBlock();
    }

    @Override
    public void onFailure(Throwable failure) {
        ended.completeExceptionally(failure);
        endNodeBlock();
    }

    private void endNodeBlock() {
        if (node == null) {
            return;
        }
        try {
            node.kill(Map.of(LauncherExecutor.NODE_COOKIE, cookie));
        } catch (IOException e) {
            throw new IllegalStateException("the node's process killer could not read /proc", e);
        }
    }
}
