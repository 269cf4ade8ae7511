package kr.everbit.deploy.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Replaces every known secret in a line by {@link Secret#MASK}. Multi-line secrets (private keys) are also
 * masked line by line, so that no single line of a key survives in output.
 */
public final class Masker {
    private final List<String> needles = new CopyOnWriteArrayList<>();

    public void add(Secret secret) {
        if (secret == null) {
            return;
        }
        List<String> fresh = new ArrayList<>();
        fresh.add(secret.reveal());
        for (String line : secret.reveal().split("\\R")) {
            // Short lines (a PEM's dashes) would mask ordinary words; a key's body lines are long.
            if (line.strip().length() >= 16) {
                fresh.add(line.strip());
            }
        }
        for (String s : fresh) {
            if (!needles.contains(s)) {
                needles.add(s);
            }
        }
        needles.sort(Comparator.comparingInt(String::length).reversed());
    }

    public String mask(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String needle : needles) {
            out = out.replace(needle, Secret.MASK);
        }
        return out;
    }
}
