package kr.everbit.deploy.engine.proxy;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kr.everbit.deploy.engine.EverbitException;
import kr.everbit.deploy.engine.Printable;
import kr.everbit.deploy.engine.Progress;
import kr.everbit.deploy.engine.flow.ReleaseNotHealthyException;
import kr.everbit.deploy.engine.flow.RoundTrip;
import kr.everbit.deploy.engine.flow.Vm;
import kr.everbit.deploy.engine.ledger.LedgerEntry;
import kr.everbit.deploy.engine.remote.BatchStep;
import kr.everbit.deploy.engine.remote.RemoteScript;
import kr.everbit.deploy.engine.remote.ShellResult;

/**
 * A release switch through the operator's Nginx (the proxy mode of {@code up}, {@code rollback} and {@code deploy}):
 * the new release starts in the slot beside the live one and is waited for with the same health rules as in restart
 * mode; only then is Nginx pointed at it ({@link ProxyScripts#swap}, or without a reload {@link ProxyScripts#flip}).
 * The release before stays running out of rotation: at least the drain, in the warm window for a rollback that is a
 * swap alone. The flows keep the ledger, the lock and the in-flight file as in restart mode; this class only changes
 * how the VM runs the switch.
 * Created from what the lock's round trip read ({@link #lookAhead}); it adds its steps to the flow's round trip of the
 * switch ({@link #begin}, {@link #add}), first retiring a warm release whose window has ended, and reads their answers
 * ({@link #finish}).
 */
public final class ProxySwitch {
    /** What everbit_http_slot prints for an answer from a slot: a status below 500 and the slot header. */
    private static final Pattern SERVED = Pattern.compile("everbit_http_status=([234][0-9][0-9]) everbit_slot=(\\S+)");
    private final Vm vm;
    private final ProxySettings settings;
    private final ProxyScripts scripts;
    private final Progress progress;
    private final String service;
    private ProxyRelease live;
    private ProxyRelease warm;
    /** The warm release is the image of this switch and runs in its slot (the VM said so as it read the state). */
    private boolean warmRuns;
    private String upstream;
    /**
     * With the switch by a flag: the slot Nginx was seen to send to as the state was read (a request through it to the
     * confirm URL); null in reload mode, and when the VM's answer has no flag line (a dry run answers nothing).
     */
    private Slot served;
    private long now;
    private Slot target;
    private boolean swapOnly;
    private String beforeImage;
    /** The answer to {@link ProxyScripts#configUnlessWarm}: empty when the state found the release warm and running. */
    private final ShellResult config;
    /** The warm release's window has ended: it is retired with the switch's first steps on the VM. */
    private final boolean expired;
    private String image;
    private int healthTimeoutSeconds;
    private ProxyRelease leaving;
    private String warmLine;
    private long keep;
    private final List<RoundTrip.Answer> retired = new ArrayList<>();
    private RoundTrip.Answer marked;
    private RoundTrip.Answer slotsWritten;
    private RoundTrip.Answer started;
    private RoundTrip.Answer swapped;
    private RoundTrip.Answer pinned;
    private RoundTrip.Answer timer;

    private ProxySwitch(Vm vm, ProxySettings settings, Progress progress, String image, List<ShellResult> lookedAhead) {
        this.vm = vm;
        this.settings = settings;
        this.scripts = new ProxyScripts(vm.project(), vm.scripts(), settings);
        this.progress = progress;
        this.service = vm.project().service();
        readState(vm.required(scripts.readState(image), lookedAhead.get(0)));
        this.config = lookedAhead.get(1);
        expired = warm != null && warm.untilEpoch() <= now;
    }

    /**
     * The proxy switch of {@code vm}'s command to {@code image}, or null in restart mode, from {@code lookedAhead}, the
     * answers to {@link #lookAhead} in order, read under the deploy lock.
     */
    public static ProxySwitch of(Vm vm, Progress progress, String image, List<ShellResult> lookedAhead) {
        return vm.proxy() == null ? null : new ProxySwitch(vm, vm.proxy(), progress, image, lookedAhead);
    }

    /**
     * What a switch to {@code image} reads first, for a caller that sends it with others (the lock's round trip): the
     * proxy state, then, unless the state finds {@code image} warm and running, the compose config its slot starts
     * from. None in restart mode.
     */
    public static List<BatchStep> lookAhead(Vm vm, String image) {
        if (vm.proxy() == null) {
            return List.of();
        }
        ProxyScripts scripts = new ProxyScripts(vm.project(), vm.scripts(), vm.proxy());
        // The state runs in the session's shell: it leaves there whether the release is warm, for the config's step.
        return List.of(BatchStep.anyInSession(scripts.readState(image)), BatchStep.any(scripts.configUnlessWarm()));
    }

    private void readState(ShellResult state) {
        List<String> lines = state.lines();
        live = state(lines, "live ", ProxyScripts.LIVE_FILE);
        warm = state(lines, "warm ", ProxyScripts.WARM_FILE);
        warmRuns = warm != null && lines.contains("warm-runs " + warm.service());
        StringBuilder file = new StringBuilder();
        lines.stream().filter(l -> l.startsWith("upstream ")).forEach(l -> file.append(l.substring(9)).append('\n'));
        upstream = file.length() == 0 ? null : file.toString();
        now = lines.stream().filter(l -> l.startsWith("now ")).findFirst().map(l -> Long.parseLong(l.substring(4).strip()))
                .orElse(System.currentTimeMillis() / 1000);
        if (settings.flag() != null) {
            readServed(lines);
        }
    }

    /**
     * Which slot Nginx sends to before anything changes, in the switch by a flag: observed by a request through it,
     * which must agree with the flag file and with the live release the state names. Anything else is refused with
     * nothing changed: a switch to a slot Nginx already sends to would restart the slot that serves.
     */
    private void readServed(List<String> lines) {
        String flag = lines.stream().filter(l -> l.startsWith("flag ")).findFirst().map(l -> l.substring(5)).orElse(null);
        if (flag == null) {
            return;
        }
        ProxyFlag settings = this.settings.flag();
        String got = lines.stream().filter(l -> l.startsWith("served everbit_http_status=")).findFirst()
                .map(l -> l.substring(7)).orElse("");
        String error = lines.stream().filter(l -> l.startsWith("served everbit_http_error=")).findFirst()
                .map(l -> "; " + l.substring(26)).orElse("");
        Matcher answer = SERVED.matcher(got);
        served = answer.matches() ? Slot.named(service, answer.group(2)) : null;
        if (served == null) {
            throw new EverbitException("a request through Nginx to " + settings.confirmUrl() + " got '" + Printable.of(got)
                    + error + "', not an answer whose " + ProxyFlag.HEADER + " header names " + Slot.BLUE.service(service)
                    + " or " + Slot.GREEN.service(service) + ": nothing was changed; check that Nginx answers there with"
                    + " the snippet of the switch by a flag (README) and a status below 500");
        }
        Slot flagged = ProxyFlag.slot("present".equals(flag));
        if (served != flagged) {
            throw new EverbitException("the flag file " + settings.file() + " is " + Printable.of(flag) + " (Nginx should send"
                    + " to " + flagged.service(service) + ") but Nginx answered " + settings.confirmUrl() + " from "
                    + served.service(service) + ": nothing was changed; check that Nginx tests this file (-f, no"
                    + " open_file_cache)");
        }
        Slot liveSlot = live == null ? null : Slot.named(service, live.service());
        if (liveSlot != null && liveSlot != served) {
            throw new EverbitException(vm.project().dir() + "/" + ProxyScripts.LIVE_FILE + " names " + live.service()
                    + " but Nginx sends to " + served.service(service) + ": nothing was changed; check which slot runs"
                    + " what, then make the flag file " + settings.file() + " and the live file agree");
        }
    }

    /** The release a state file names; a line that is not what the tool writes is refused before anything changes. */
    private ProxyRelease state(List<String> lines, String prefix, String file) {
        String line = lines.stream().filter(l -> l.startsWith(prefix)).findFirst().map(l -> l.substring(prefix.length()))
                .orElse(null);
        ProxyRelease release = line == null ? null : ProxyRelease.parse(line);
        if (line != null && release == null) {
            throw new EverbitException(vm.project().dir() + "/" + file + " line 1 is not what everbit-deploy writes ('"
                    + Printable.of(line) + "'): nothing was changed; check which slot Nginx sends to, then write the file as SERVICE IMAGE"
                    + " ADDRESS [EPOCH] or remove it");
        }
        return release;
    }

    /**
     * Picks where {@code image} runs and marks the switch as in flight: when the warm release is {@code image} and still
     * runs, a swap alone; otherwise the slot beside the live one. An interruption makes {@code beforeImage} live again
     * (Nginx pointed back, the slot being started stopped), or, with {@code finishWhenInterrupted}, finishes the switch.
     */
    public void begin(RoundTrip trip, String image, String beforeImage, boolean finishWhenInterrupted, int healthTimeoutSeconds,
                      List<LedgerEntry> ifInterrupted) {
        this.beforeImage = beforeImage;
        if (expired) {
            retireWarm(trip, false);
        }
        if (beforeImage != null && live == null && upstream == null && settings.flag() == null) {
            throw new EverbitException("proxy mode needs the upstream file " + settings.upstreamFile() + " on the VM before"
                    + " its first switch away from a running release: write it once with the address Nginx sends to today"
                    + " (e.g. 'server 127.0.0.1:8080;'), include it in Nginx's upstream block and reload; nothing was changed");
        }
        // A warm release whose window has ended is retired above, running or not: never a swap target.
        swapOnly = warmRuns && warm != null && warm.image().equals(image) && !ProxyRelease.UNKNOWN_ADDRESS.equals(warm.address());
        if (swapOnly) {
            target = Slot.named(service, warm.service());
        } else {
            Slot liveSlot = live == null ? null : Slot.named(service, live.service());
            // Before the first switch by a flag, Nginx sends to the block the flag picks today: the other one is free.
            target = liveSlot != null ? liveSlot.other() : served != null ? served.other() : Slot.BLUE;
            if (warm != null && warm.service().equals(target.service(service))) {
                retireWarm(trip, true);
            }
        }
        String restore;
        if (settings.flag() != null) {
            restore = finishWhenInterrupted
                    ? scripts.flagRestore(service, target, liveLine(image), null, target.service(service), image,
                            live == null ? null : live.service())
                    : scripts.flagRestore(service, served, live == null ? null : ProxyRelease.line(live.service(), live.image(),
                            live.address()), warmLine(), null, beforeImage, swapOnly ? null : target.service(service));
        } else if (finishWhenInterrupted) {
            restore = scripts.restore(upstreamFor(target), liveLine(image), null, target.service(service), image,
                    live == null ? null : live.service());
        } else {
            restore = scripts.restore(upstream, live == null ? null : ProxyRelease.line(live.service(), live.image(), live.address()),
                    warmLine(), null, beforeImage, swapOnly ? null : target.service(service));
        }
        // Marked in flight in the round trip of the switch, whose steps on the VM run only after it.
        marked = trip.add(vm.beginSwitchStep(ProxyScripts.writeRestoreCall(restore), healthTimeoutSeconds, ifInterrupted));
    }

    /**
     * Adds to {@code trip}, after {@link #begin}'s steps: running {@code image} in the chosen slot (unless it is a swap),
     * pointing Nginx at it, and keeping the release before it running for {@link ProxySettings#keepSeconds}
     * ({@code keepWarm}: the warm window, else the drain alone). Each runs on the VM only once the one before succeeded:
     * Nginx is touched only once the slot is healthy, the pin written only once Nginx took the switch. {@link #finish}
     * reads what happened.
     */
    public void add(RoundTrip trip, String image, int healthTimeoutSeconds, boolean keepWarm) {
        this.image = image;
        this.healthTimeoutSeconds = healthTimeoutSeconds;
        String slot = target.service(service);
        if (!swapOnly) {
            // The config is read with the state unless the release was warm (then, not a swap after all, it is read now).
            String text = warmRuns ? vm.require(scripts.config()).text() : vm.required(scripts.configUnlessWarm(), config).text();
            Map<Slot, String> images = new EnumMap<>(Slot.class);
            images.put(target, image);
            Slot liveSlot = live == null ? null : Slot.named(service, live.service());
            if (liveSlot != null) {
                images.put(liveSlot, live.image());
            }
            slotsWritten = trip.add(BatchStep.required(ProxyScripts.writeFile("write " + ProxyScripts.SLOTS_FILE,
                    ProxyScripts.SLOTS_FILE, SlotOverride.of(text, service, settings, images, image))));
            started = trip.add("start " + slot + " beside the live release and wait healthy",
                    BatchStep.required(scripts.startSlot(target, service, healthTimeoutSeconds, vm.startRules())), answer -> {
                        if (answer.ok()) {
                            progress.info(slot + " runs " + image + " (" + answer.lastLine() + ")");
                        }
                    });
        }
        // Before the first proxy switch the plain service is live, at an address only the old upstream file knows:
        // it is drained and retired, never a swap target.
        leaving = live != null ? live : beforeImage == null ? null
                : new ProxyRelease(service, beforeImage, ProxyRelease.UNKNOWN_ADDRESS, null);
        warmLine = leaving == null ? null : ProxyRelease.line(leaving.service(), leaving.image(), leaving.address());
        keep = settings.keepSeconds(keepWarm && live != null);
        RemoteScript swap = settings.flag() != null ? scripts.flip(service, target, liveLine(image), warmLine, keep)
                : scripts.swap(upstreamFor(target), liveLine(image), warmLine, keep);
        swapped = trip.add("point Nginx at " + slot, BatchStep.required(swap));
        pinned = trip.add(BatchStep.required(vm.scripts().writePin(kr.everbit.deploy.engine.remote.ComposeProject.PIN_FILE, image)));
        // The release that leaves: a timer retires it after its window, or, with none, it goes now.
        timer = leaving == null ? null : keep > 0 ? trip.add(BatchStep.required(scripts.retire(leaving.service(), keep, false)))
                : trip.add("retire the warm " + leaving.service() + " (" + leaving.image() + ")",
                        BatchStep.required(scripts.retire(leaving.service(), 0, false)));
    }

    /**
     * Reads the switch's answers once its round trip was sent: returns when Nginx sends to the new release; throws,
     * with Nginx untouched or put back, when the slot did not become healthy or Nginx refused the switch.
     */
    public void finish() {
        for (RoundTrip.Answer retirement : retired) {
            vm.required(retirement.script(), retirement.get());
        }
        vm.begun(marked.get());
        String slot = target.service(service);
        RoundTrip.Answer healthy;
        if (swapOnly) {
            progress.info(image + " is still warm in " + slot + ": switching Nginx back to it, nothing to start");
            healthy = marked;
        } else {
            vm.required(slotsWritten.script(), slotsWritten.get());
            ShellResult slotHealthy = started.get();
            if (!slotHealthy.ok()) {
                String state = slotHealthy.lastLine();
                vm.run(scripts.logs(slot, 30)).lines().forEach(progress::output);
                vm.run(scripts.stop(slot));
                String stays = live == null ? null : live.image();
                throw new ReleaseNotHealthyException(image + " did not become healthy in " + slot + " within "
                        + healthTimeoutSeconds + "s (" + state + "); " + (stays == null ? "there was no earlier release."
                        : "Nginx was not touched: " + stays + " stays live."), image, state, stays, false);
            }
            healthy = started;
        }
        long switchMillis = (swapped.arrivedNanos() - healthy.arrivedNanos()) / 1_000_000;
        ShellResult swap = swapped.get();
        if (!swap.ok()) {
            String said = vm.masker().mask(String.join(" | ", swap.lines()));
            if (!swapOnly) {
                vm.run(scripts.stop(slot));
            }
            throw new EverbitException("Nginx did not take the switch to " + image + ": " + said + "; "
                    + (leaving == null ? "nothing else runs" : leaving.image() + " stays live"));
        }
        vm.required(pinned.script(), pinned.get());
        progress.info("Nginx sends to " + slot + " (" + target.address(settings, service) + ") " + switchMillis
                + " ms after it was healthy, the pin written (" + (settings.flag() != null ? "a request through it to "
                + settings.flag().confirmUrl() + " was answered by " + slot : "its workers of before the reload no longer"
                + " accept connections") + ")");
        if (leaving != null) {
            vm.required(timer.script(), timer.get());
            progress.info(leaving.service() + " (" + leaving.image() + ") leaves rotation and stays running for " + keep
                    + "s" + (keep > settings.drainSeconds() ? " (warm: a rollback to it is a swap)" : " (drain)"));
            warm = keep > 0 ? ProxyRelease.parse(warmLine) : null;
        }
        live = ProxyRelease.parse(liveLine(image));
        if (served != null) {
            served = target;
        }
    }

    /** Adds the retirement of the warm release now to {@code trip} ({@code force}: whatever its window says). */
    private void retireWarm(RoundTrip trip, boolean force) {
        retired.add(trip.add("retire the warm " + warm.service() + " (" + warm.image() + ")",
                BatchStep.required(scripts.retire(warm.service(), 0, force))));
        // The steps after it run only once it is gone.
        warm = null;
    }

    private String liveLine(String image) {
        return ProxyRelease.line(target.service(service), image, target.address(settings, service));
    }

    private String warmLine() {
        return warm == null ? null : ProxyRelease.line(warm.service(), warm.image(), warm.address(), warm.untilEpoch());
    }

    private String upstreamFor(Slot slot) {
        return "# Written by everbit-deploy: the live release of service '" + service + "' (" + slot.service(service)
                + "). Do not edit: run everbit-deploy up or rollback.\nserver " + slot.address(settings, service) + ";\n";
    }
}
