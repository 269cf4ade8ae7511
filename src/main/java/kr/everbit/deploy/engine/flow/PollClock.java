package kr.everbit.deploy.engine.flow;

import kr.everbit.deploy.engine.EverbitException;

/** Time for polling, replaceable in tests so that timeouts and settle times run without waiting. */
interface PollClock {
    long millis();

    void sleep(long millis);

    static PollClock system() {
        return new PollClock() {
            @Override
            public long millis() {
                return System.nanoTime() / 1_000_000;
            }

            @Override
            public void sleep(long millis) {
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new EverbitException("interrupted while verifying");
                }
            }
        };
    }
}
