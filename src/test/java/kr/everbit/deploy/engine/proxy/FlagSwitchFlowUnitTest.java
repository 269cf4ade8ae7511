package kr.everbit.deploy.engine.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import kr.everbit.deploy.engine.EverbitException;
import kr.everbit.deploy.engine.ImageRef;
import kr.everbit.deploy.engine.Masker;
import kr.everbit.deploy.engine.Progress;
import kr.everbit.deploy.engine.Shell;
import kr.everbit.deploy.engine.flow.RoundTrip;
import kr.everbit.deploy.engine.flow.Vm;
import kr.everbit.deploy.engine.remote.ComposeProject;
import kr.everbit.deploy.engine.remote.RemoteScript;
import kr.everbit.deploy.engine.remote.RemoteSession;
import kr.everbit.deploy.engine.remote.ShellResult;
import org.junit.jupiter.api.Test;

/**
 * The proxy switch's side of the switch by a flag, against a double of the VM's session (no VM runs in a unit test;
 * the library's functions it calls are tested in FlagSwitchUnitTest and FlagSwitchNginxTest): what it refuses from
 * the state it reads, which slot it picks, and which calls it sends to flip and to restore.
 */
class FlagSwitchFlowUnitTest {
    private static final String IMAGE = "ghcr.io/o/server:ccccccc";
    private static final String URL = "http://127.0.0.1/health";
    private static final String CONFIG = "services:\n  server:\n    image: ghcr.io/o/server:unset\n    environment: {PORT: '8080'}\n";
    private final ProxySettings settings = new ProxySettings(".everbit/nginx/upstream.conf", "nginx -t", "nginx -s reload",
            "127.0.0.1", 18081, 18082, "PORT", 10, 600, new ProxyFlag(".everbit/nginx/green.live", URL));

    @Test
    void aStateWhoseNginxFlagAndLiveFileDisagreeIsRefusedWithNothingChanged() {
        String blueLive = "live server-blue ghcr.io/o/server:aaaaaaa 127.0.0.1:18081";
        assertRefused(List.of(blueLive, "flag absent", "served everbit_http_status=502 everbit_slot=server-blue"),
                "got 'everbit_http_status=502 everbit_slot=server-blue', not an answer whose X-Everbit-Slot header names");
        assertRefused(List.of(blueLive, "flag absent", "served everbit_http_status= everbit_slot=",
                "served everbit_http_error=curl: (7) Failed to connect"), "curl: (7) Failed to connect");
        assertRefused(List.of(blueLive, "flag absent", "served everbit_http_status=200 everbit_slot=$(id)"), "names server-blue or");
        assertRefused(List.of(blueLive, "flag present", "served everbit_http_status=200 everbit_slot=server-blue"),
                "the flag file .everbit/nginx/green.live is present (Nginx should send to server-green) but Nginx answered");
        assertRefused(List.of(blueLive, "flag present", "served everbit_http_status=200 everbit_slot=server-green"),
                "proxy.live names server-blue but Nginx sends to server-green: nothing was changed");
    }

    @Test
    void theSwitchFlipsToTheSlotBesideTheLiveOneAndTheRestorePutsTheFlagBackForTheSlotNginxServed() {
        Session vm = new Session(List.of("live server-blue ghcr.io/o/server:aaaaaaa 127.0.0.1:18081", "flag absent",
                "served everbit_http_status=200 everbit_slot=server-blue", "now 100"));
        switchWith(vm);
        assertThat(vm.sent()).contains(Shell.call("everbit_flip", ".everbit/nginx/green.live", "present", URL, "server-green",
                "server-green " + IMAGE + " 127.0.0.1:18082", "server-blue ghcr.io/o/server:aaaaaaa 127.0.0.1:18081", "600"));
        // The restore file's text, as the in-flight mark writes it before anything changes.
        assertThat(vm.sent()).contains(Shell.quote(ProxyScripts.writeRestoreCall(Shell.call("everbit_flag_restore",
                ".everbit/nginx/green.live", "absent", URL, "server-blue", "", "server-blue ghcr.io/o/server:aaaaaaa 127.0.0.1:18081",
                "", "ghcr.io/o/server:aaaaaaa", "server-green")).get(2)));
        assertThat(vm.sent()).doesNotContain("everbit_swap", "nginx -s reload");
    }

    /** Before the first switch by a flag the plain service is live behind the block the flag picks: the other slot starts. */
    @Test
    void theFirstSwitchGoesToTheSlotTheFlagDoesNotPick() {
        Session vm = new Session(List.of("flag absent", "served everbit_http_status=200 everbit_slot=server-blue", "now 100"));
        switchWith(vm);
        assertThat(vm.sent()).contains(Shell.call("everbit_start_slot", "server-green", "30", "18082", "127.0.0.1", ""))
                .contains(Shell.call("everbit_flip", ".everbit/nginx/green.live", "present", URL, "server-green",
                        "server-green " + IMAGE + " 127.0.0.1:18082", "server ghcr.io/o/server:aaaaaaa -", "10"));
    }

    /**
     * A warm release whose window has ended is retired before anything else, even when it still runs and is the release
     * asked for: the switch starts it afresh in its slot instead of swapping to a release past its window.
     */
    @Test
    void aWarmReleasePastItsWindowIsRetiredFirstAndNeverSwappedTo() {
        String warm = "server-green " + IMAGE + " 127.0.0.1:18082 50";
        Session vm = new Session(List.of("live server-blue ghcr.io/o/server:aaaaaaa 127.0.0.1:18081", "warm " + warm,
                "flag absent", "served everbit_http_status=200 everbit_slot=server-blue", "warm-runs server-green", "now 100"));
        switchWith(vm);
        String sent = vm.sent();
        assertThat(sent).contains(Shell.call("everbit_retire_warm", "server-green", "0"))
                .contains(Shell.call("everbit_start_slot", "server-green", "30", "18082", "127.0.0.1", ""));
        assertThat(sent.indexOf("everbit_retire_warm")).isLessThan(sent.indexOf("everbit_begin_switch"));
    }

    /** A dry run's session answers nothing: the switch still prints every call, a flip to blue, the flag left alone on a restore. */
    @Test
    void aDryRunPrintsTheSwitchWithoutAnAnswerToCheck() {
        Session vm = new Session(List.of());
        switchWith(vm);
        assertThat(vm.sent()).contains(Shell.call("everbit_flip", ".everbit/nginx/green.live", "absent", URL, "server-blue",
                "server-blue " + IMAGE + " 127.0.0.1:18081", "server ghcr.io/o/server:aaaaaaa -", "10"));
    }

    private void switchWith(Session session) {
        Vm vm = open(session);
        vm.useProxy(settings);
        ProxySwitch proxy = ProxySwitch.of(vm, new Quiet(), IMAGE, vm.runAll(ProxySwitch.lookAhead(vm, IMAGE)));
        RoundTrip trip = new RoundTrip(new Quiet());
        proxy.begin(trip, IMAGE, "ghcr.io/o/server:aaaaaaa", false, 30, List.of());
        proxy.add(trip, IMAGE, 30, true);
        trip.send(vm);
        proxy.finish();
    }

    private void assertRefused(List<String> state, String message) {
        Session session = new Session(state);
        Vm vm = open(session);
        vm.useProxy(settings);
        assertThatThrownBy(() -> ProxySwitch.of(vm, new Quiet(), IMAGE, vm.runAll(ProxySwitch.lookAhead(vm, IMAGE)))).isInstanceOf(EverbitException.class)
                .hasMessageContaining(message).hasMessageContaining("nothing was changed");
        assertThat(session.sent()).as("only the state was read").doesNotContain("everbit_flip", "everbit_retire", "everbit_start");
    }

    private static Vm open(Session session) {
        return Vm.open(session, null, new ComposeProject("/srv/app", List.of("compose.yaml"), "server",
                ImageRef.of("ghcr.io/o/server")), new Masker(), new Quiet());
    }

    /**
     * A double of the VM's session: it keeps each script it is sent and answers as the library's functions would
     * for a VM where every step succeeds: the proxy state as given, the compose config, a slot that became healthy.
     */
    private static final class Session implements RemoteSession {
        private final List<String> state;
        private final List<String> scripts = new ArrayList<>();

        Session(List<String> state) {
            this.state = state;
        }

        String sent() {
            return String.join("\n", scripts);
        }

        @Override
        public ShellResult run(RemoteScript script) {
            scripts.add(script.body());
            String body = script.body();
            if (body.startsWith("everbit_proxy_state ")) {
                return new ShellResult(0, state);
            }
            if (body.startsWith("everbit_proxy_config")) {
                return new ShellResult(0, CONFIG.lines().toList());
            }
            if (body.startsWith("everbit_start_slot ")) {
                return new ShellResult(0, List.of("state=running health=healthy"));
            }
            return new ShellResult(0, List.of());
        }

        @Override
        public ShellResult runInSession(RemoteScript script) {
            return run(script);
        }

        @Override
        public void abort() {
        }

        @Override
        public void close() {
        }
    }

    private static final class Quiet implements Progress {
        @Override
        public void info(String text) {
        }

        @Override
        public void warn(String text) {
        }

        @Override
        public void output(String line) {
        }

        @Override
        public void stepDone(String step, Duration took, boolean ok) {
        }
    }
}
