import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's request stream (java Stream.java URL NEW_BODY MIN_REQUESTS STOP_FILE): 4 threads GET URL on
 * loopback until STOP_FILE exists and at least MIN_REQUESTS were sent (at most 200,000 requests, 180 s). A connection
 * error or a 5xx is a failure. Like a browser (RFC 9112, 9.3.1), a GET whose reused keep-alive connection was closed
 * before any byte of an answer came (a graceful reload closes idle ones) is sent again once; such retries are counted
 * apart. Prints "requests=N failed=F retried=R first_new_ms=EPOCH_MS" (the first answer NEW_BODY, or 0).
 */
public class Stream {
    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        String wanted = args[1];
        int min = Integer.parseInt(args[2]);
        Path stopFile = Path.of(args[3]);
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger retried = new AtomicInteger();
        AtomicLong firstNew = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < deadline && sent.get() < 200_000
                        && !(sent.get() >= min && Files.exists(stopFile))) {
                    sent.incrementAndGet();
                    try {
                        HttpResponse<String> r;
                        try {
                            r = client.send(request, HttpResponse.BodyHandlers.ofString());
                        } catch (IOException e) {
                            if (e.getMessage() == null || !e.getMessage().contains("received no bytes")) {
                                throw e;
                            }
                            retried.incrementAndGet();
                            r = client.send(request, HttpResponse.BodyHandlers.ofString());
                        }
                        if (r.statusCode() >= 500) {
                            failed.incrementAndGet();
                        } else if (r.body().strip().equals(wanted)) {
                            firstNew.compareAndSet(0, System.currentTimeMillis());
                        }
                    } catch (IOException e) {
                        failed.incrementAndGet();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        System.out.println("requests=" + sent.get() + " failed=" + failed.get() + " retried=" + retried.get() + " first_new_ms=" + firstNew.get());
    }
}
