package kr.everbit.deploy.engine;

import java.time.Duration;

/** Masks every secret the engine knows of before a line reaches a door's output. */
public final class MaskingProgress implements Progress {
    private final Progress out;
    private final Masker masker;

    public MaskingProgress(Progress out, Masker masker) {
        this.out = out;
        this.masker = masker;
    }

    @Override
    public void info(String text) {
        out.info(masker.mask(text));
    }

    @Override
    public void warn(String text) {
        out.warn(masker.mask(text));
    }

    @Override
    public void output(String line) {
        out.output(masker.mask(line));
    }

    @Override
    public void stepDone(String step, Duration took, boolean ok) {
        out.stepDone(masker.mask(step), took, ok);
    }
}
