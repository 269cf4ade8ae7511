package kr.everbit.deploy.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads every process's arguments and environment in /proc, over and over while a command runs, and records
 * any process where a needle shows: what {@code ps -ef} or {@code /proc/PID/environ} would give away.
 */
final class ProcessWatch implements AutoCloseable {
    private final List<String> needles;
    private final List<String> seen = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private int scans;

    ProcessWatch(List<String> needles) {
        this.needles = needles;
        thread = new Thread(this::loop, "process-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            scan();
        }
    }

    private void scan() {
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path proc : procs) {
                check(proc, "cmdline");
                check(proc, "environ");
            }
        } catch (IOException e) {
            // /proc changes while it is read; the next scan sees the rest.
        }
        synchronized (seen) {
            scans++;
        }
    }

    private void check(Path proc, String file) {
        try {
            String text = new String(Files.readAllBytes(proc.resolve(file)), StandardCharsets.UTF_8);
            for (String needle : needles) {
                if (text.contains(needle)) {
                    synchronized (seen) {
                        seen.add(proc.getFileName() + "/" + file + ": " + text.replace('\0', ' '));
                    }
                }
            }
        } catch (IOException e) {
            // The process ended between listing and reading.
        }
    }

    /** Stops watching; returns every sighting (empty when the secret never showed). */
    List<String> sightings() throws InterruptedException {
        running = false;
        thread.join();
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    int scans() {
        synchronized (seen) {
            return scans;
        }
    }

    @Override
    public void close() throws InterruptedException {
        sightings();
    }
}
