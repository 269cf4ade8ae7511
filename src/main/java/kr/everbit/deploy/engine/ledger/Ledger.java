package kr.everbit.deploy.engine.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import kr.everbit.deploy.engine.ImageRef;
import kr.everbit.deploy.engine.InvalidInputException;
import kr.everbit.deploy.engine.Release;

/**
 * The release history of one service on the VM, oldest first. The current release is the SHA of the last entry
 * that succeeded; the previous release is the last successful SHA before that entry which is not the current one
 * and has not failed verification since (a release that started but failed its checks is no rollback target until
 * it is deployed again successfully).
 */
public final class Ledger {
    /** Trailing tokens fail: two entries glued on one line (an append after a lost newline) are damage, not the first. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final List<LedgerEntry> entries;
    private final List<String> unreadable;
    private final List<Integer> unreadableAt;
    private final boolean damagedAfterLastEntry;

    private Ledger(List<LedgerEntry> entries, List<String> unreadable, List<Integer> unreadableAt, boolean damagedAfterLastEntry) {
        this.entries = List.copyOf(entries);
        this.unreadable = List.copyOf(unreadable);
        this.unreadableAt = List.copyOf(unreadableAt);
        this.damagedAfterLastEntry = damagedAfterLastEntry;
    }

    /** As {@link #parse(List, ImageRef)}, for a reader that does not know the service's repository (status). */
    public static Ledger parse(List<String> lines) {
        return parse(lines, null);
    }

    /**
     * Reads JSON lines; a damaged line is kept aside (and reported) instead of hiding the rest of the history. The
     * lines are data from the VM: an entry is read only when every field the tool acts on is what it writes (a
     * release SHA, an image of {@code repository}, or of any valid repository when null, tagged with a SHA, a known
     * action and result); anything else is unreadable, so no crafted value reaches a pin or a command.
     */
    public static Ledger parse(List<String> lines, ImageRef repository) {
        List<LedgerEntry> entries = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        List<Integer> unreadableAt = new ArrayList<>();
        boolean damagedLast = false;
        int number = 0;
        for (String line : lines) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            LedgerEntry entry = read(line, repository);
            if (entry == null) {
                unreadable.add(line);
                unreadableAt.add(number);
            } else {
                entries.add(entry);
            }
            damagedLast = entry == null;
        }
        return new Ledger(entries, unreadable, unreadableAt, damagedLast);
    }

    private static LedgerEntry read(String line, ImageRef repository) {
        try {
            LedgerEntry entry = JSON.readValue(line, LedgerEntry.class);
            return entry != null && valid(entry, repository) ? entry : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static boolean valid(LedgerEntry e, ImageRef repository) {
        return Release.isValid(e.sha()) && (e.from() == null || Release.isValid(e.from()))
                && (e.image() == null || isReleaseImage(e.image(), repository))
                && List.of(LedgerEntry.DEPLOY, LedgerEntry.ROLLBACK, LedgerEntry.VERIFY).contains(e.action())
                && List.of(LedgerEntry.SUCCESS, LedgerEntry.FAILED).contains(e.result());
    }

    /**
     * True for an image as the tool names a release: {@code repository} (any valid repository when null) tagged
     * with a 7 to 40 hex SHA.
     */
    public static boolean isReleaseImage(String image, ImageRef repository) {
        int colon = image == null ? -1 : image.lastIndexOf(':');
        if (colon < 0 || !Release.isValid(image.substring(colon + 1))) {
            return false;
        }
        String name = image.substring(0, colon);
        if (repository != null) {
            return repository.repository().equals(name);
        }
        try {
            ImageRef.of(name);
            return true;
        } catch (InvalidInputException e) {
            return false;
        }
    }

    public static String toJson(LedgerEntry entry) {
        try {
            return JSON.writeValueAsString(entry);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("ledger entry cannot be written as JSON", e);
        }
    }

    public List<LedgerEntry> entries() {
        return entries;
    }

    public List<String> unreadableLines() {
        return unreadable;
    }

    /** The line numbers (from 1) of {@link #unreadableLines()}, for a warning that names them. */
    public List<Integer> unreadableLineNumbers() {
        return unreadableAt;
    }

    /**
     * True when an unreadable line comes after the last readable entry: the newest history may be lost, so
     * "previous" must not be trusted (an explicit SHA still works).
     */
    public boolean damagedAfterLastEntry() {
        return damagedAfterLastEntry;
    }

    /**
     * True when the newest entry is a rollback to the current release that failed: the VM's restore of it (after an
     * interrupted switch) did not become healthy, so the VM runs nothing healthy until a release succeeds.
     */
    public boolean currentRestoreFailed() {
        if (entries.isEmpty()) {
            return false;
        }
        LedgerEntry last = entries.get(entries.size() - 1);
        return LedgerEntry.ROLLBACK.equals(last.action()) && LedgerEntry.FAILED.equals(last.result())
                && last.sha().equals(current());
    }

    /** The last entry that succeeded, or null. */
    public LedgerEntry lastSuccess() {
        int at = lastSuccessIndex();
        return at < 0 ? null : entries.get(at);
    }

    public String current() {
        int at = lastSuccessIndex();
        return at < 0 ? null : entries.get(at).sha();
    }

    public String previous() {
        int at = lastSuccessIndex();
        if (at < 0) {
            return null;
        }
        String current = entries.get(at).sha();
        for (int i = at - 1; i >= 0; i--) {
            LedgerEntry e = entries.get(i);
            if (e.succeeded() && !e.sha().equals(current) && !failedVerificationAfter(e.sha(), i)) {
                return e.sha();
            }
        }
        return null;
    }

    /** The SHAs whose images stay on the VM: the newest {@code retain} successful ones, always current and previous. */
    public Set<String> retained(int retain) {
        Set<String> keep = new LinkedHashSet<>();
        if (current() != null) {
            keep.add(current());
        }
        if (previous() != null) {
            keep.add(previous());
        }
        Set<String> newest = new LinkedHashSet<>();
        for (int i = entries.size() - 1; i >= 0 && newest.size() < retain; i--) {
            if (entries.get(i).succeeded()) {
                newest.add(entries.get(i).sha());
            }
        }
        keep.addAll(newest);
        return keep;
    }

    /** Every SHA the ledger has seen deployed or rolled back to, whatever the result. */
    public Set<String> knownReleases() {
        Set<String> known = new LinkedHashSet<>();
        entries.forEach(e -> known.add(e.sha()));
        return known;
    }

    private boolean failedVerificationAfter(String sha, int index) {
        for (int i = index + 1; i < entries.size(); i++) {
            if (entries.get(i).failedVerification() && entries.get(i).sha().equals(sha)) {
                return true;
            }
        }
        return false;
    }

    private int lastSuccessIndex() {
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i).succeeded()) {
                return i;
            }
        }
        return -1;
    }
}
