package kr.everbit.deploy.engine;

import java.time.Duration;

/**
 * What the engine tells the person watching. Each door maps it to its own output (the CLI's console, a Jenkins
 * TaskListener). Every text that reaches an implementation has already been masked by {@link MaskingProgress}.
 */
public interface Progress {
    /** A line of what the engine is doing ("pulling ghcr.io/o/server:abc1234 on the VM"). */
    void info(String text);

    /** Something the operator should look at, that does not fail the command. */
    void warn(String text);

    /** A line of output from a command the engine ran (docker, compose, ssh). */
    void output(String line);

    /** A step finished: its name, how long it took, and whether it succeeded. */
    void stepDone(String step, Duration took, boolean ok);
}
