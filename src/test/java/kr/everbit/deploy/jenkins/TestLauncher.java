package kr.everbit.deploy.jenkins;

import hudson.Launcher;
import hudson.Proc;
import hudson.model.TaskListener;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A Launcher that starts real local processes, for the offline tests. It reads the ProcStarter as Jenkins' local
 * launcher does: a stream the starter left null is pumped by the caller through the Proc (readStdout,
 * readStderr, writeStdin); stderr without a destination of its own joins stdout. Every argv is recorded, so a test
 * can check that no secret was on a command line.
 */
final class TestLauncher extends Launcher {
    final List<List<String>> commands = new ArrayList<>();

    TestLauncher(TaskListener listener) {
        super(listener, null);
    }

    @Override
    public Proc launch(ProcStarter starter) throws IOException {
        commands.add(List.copyOf(starter.cmds()));
        ProcessBuilder builder = new ProcessBuilder(starter.cmds());
        for (String kv : starter.envs()) {
            int eq = kv.indexOf('=');
            builder.environment().put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        if (starter.pwd() != null) {
            builder.directory(new File(starter.pwd().getRemote()));
        }
        boolean callerReads = starter.stdout() == null;
        if (!callerReads && starter.stderr() == null) {
            builder.redirectErrorStream(true);
        }
        Process process = builder.start();
        List<Thread> pumps = new ArrayList<>();
        if (starter.stdin() != null) {
            pumps.add(pump(starter.stdin(), process.getOutputStream(), true));
        }
        if (!callerReads) {
            pumps.add(pump(process.getInputStream(), starter.stdout(), false));
            if (starter.stderr() != null) {
                pumps.add(pump(process.getErrorStream(), starter.stderr(), false));
            }
        }
        return new LocalProcess(process, pumps);
    }

    private static Thread pump(InputStream from, OutputStream to, boolean closeTarget) {
        Thread thread = new Thread(() -> {
            try {
                from.transferTo(to);
                to.flush();
                if (closeTarget) {
                    to.close();
                }
            } catch (IOException e) {
                // The process ended or closed the stream; its exit code says the rest.
            }
        }, "test-launcher-pump");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static final class LocalProcess extends Proc {
        private final Process process;
        private final List<Thread> pumps;

        LocalProcess(Process process, List<Thread> pumps) {
            this.process = process;
            this.pumps = pumps;
        }

        @Override
        public void kill() {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }

        @Override
        public int join() throws InterruptedException {
            int code = process.waitFor();
            for (Thread pump : pumps) {
                pump.join();
            }
            return code;
        }

        @Override
        public InputStream getStdout() {
            return process.getInputStream();
        }

        @Override
        public InputStream getStderr() {
            return process.getErrorStream();
        }

        @Override
        public OutputStream getStdin() {
            return process.getOutputStream();
        }
    }
}
