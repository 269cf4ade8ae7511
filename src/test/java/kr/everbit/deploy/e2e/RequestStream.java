package kr.everbit.deploy.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A steady stream of GET requests to one loopback URL from a few threads, bounded in count and in time, as a user
 * sees it: a connection error or a 5xx is a failed request; the bodies of the others are counted (which release
 * answered). Like a browser (RFC 9112, 9.3.1), a GET whose reused keep-alive connection was closed before any byte of
 * an answer came is sent again once, on a new connection: a graceful Nginx reload closes idle keep-alive connections,
 * and one may be picked at that instant. Such retries are counted apart; a second failure is a failure.
 */
final class RequestStream implements AutoCloseable {
    private static final int THREADS = 4;
    private static final int MAX_REQUESTS = 60_000;
    private static final Duration MAX_TIME = Duration.ofSeconds(90);
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger sent = new AtomicInteger();
    private final LongAdder failed = new LongAdder();
    private final LongAdder retried = new LongAdder();
    private final Map<String, LongAdder> bodies = new ConcurrentHashMap<>();
    private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> threads = new ArrayList<>();
    private final long deadline;

    record Tally(int requests, long failed, long retried, Map<String, Long> bodies, List<String> firstFailures) {
        @Override
        public String toString() {
            return failed + "/" + requests + " failed (" + retried + " retried), answers " + bodies + (firstFailures.isEmpty() ? "" : ", e.g. " + firstFailures);
        }
    }

    RequestStream(String url) {
        this(url, MAX_TIME, Duration.ZERO);
    }

    /**
     * A stream that ends after {@code maxTime} at the latest (a rollout over several nodes takes longer than one
     * switch), each thread pausing {@code pause} after each answer (so that the stream outlasts such a rollout
     * within its request bound, and leaves the rollout some CPU on a one-core machine).
     */
    RequestStream(String url, Duration maxTime, Duration pause) {
        this(url, maxTime, pause, Duration.ofSeconds(5));
    }

    /**
     * As above, a request counting as failed when it has no answer within {@code answerWithin}: longer for a stream
     * that shares one core with the command under test (the CLI in the same JVM), so that a pause of this JVM is not
     * taken for a lost request. Nginx still bounds every upstream by its own timeouts.
     */
    RequestStream(String url, Duration maxTime, Duration pause, Duration answerWithin) {
        deadline = System.nanoTime() + maxTime.toNanos();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(answerWithin).build();
        for (int i = 0; i < THREADS; i++) {
            Thread t = new Thread(() -> {
                while (!stop.get() && System.nanoTime() < deadline && sent.incrementAndGet() <= MAX_REQUESTS) {
                    try {
                        HttpResponse<String> r = send(client, request);
                        if (r.statusCode() >= 500) {
                            fail("HTTP " + r.statusCode());
                        } else {
                            bodies.computeIfAbsent(r.statusCode() + " " + r.body().strip(), k -> new LongAdder()).increment();
                        }
                    } catch (IOException e) {
                        fail(e.getClass().getSimpleName() + ": " + e.getMessage());
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (!pause.isZero()) {
                        try {
                            Thread.sleep(pause.toMillis());
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }, "request-stream-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
    }

    private HttpResponse<String> send(HttpClient client, HttpRequest request) throws IOException, InterruptedException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            if (e.getMessage() == null || !e.getMessage().contains("received no bytes")) {
                throw e;
            }
            retried.increment();
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    private void fail(String why) {
        failed.increment();
        if (failures.size() < 5) {
            failures.add(why);
        }
    }

    /** The stream is still sending: neither stopped nor past its bound in time or count. */
    boolean running() {
        return !stop.get() && System.nanoTime() < deadline && sent.get() < MAX_REQUESTS;
    }

    /** Stops the stream and says what it saw. */
    Tally stop() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join(10_000);
        }
        Map<String, Long> seen = new java.util.TreeMap<>();
        bodies.forEach((k, v) -> seen.put(k, v.sum()));
        long answered = seen.values().stream().mapToLong(Long::longValue).sum();
        return new Tally((int) (answered + failed.sum()), failed.sum(), retried.sum(), seen, List.copyOf(failures));
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
