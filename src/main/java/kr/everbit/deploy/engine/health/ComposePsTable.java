package kr.everbit.deploy.engine.health;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads compose v1's {@code ps} table: a centred header (Name, Command, State, Ports), a line of dashes, then
 * left-aligned cells separated by at least three spaces. Columns are found from where the rows have text, and
 * each is named by the header word above it, so an empty column (no ports) does not shift the others.
 */
final class ComposePsTable {
    private static final Pattern WORD = Pattern.compile("\\S+");
    private static final int GAP = 3;

    private ComposePsTable() {
    }

    static List<ComposePsRow> parse(List<String> lines) {
        int dashes = -1;
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).strip().matches("-{3,}")) {
                dashes = i;
                break;
            }
        }
        if (dashes < 0) {
            throw new IllegalArgumentException("compose ps printed neither JSON nor a table: "
                    + (lines.isEmpty() ? "nothing" : lines.get(lines.size() - 1)));
        }
        List<String> data = lines.subList(dashes + 1, lines.size()).stream().filter(l -> !l.isBlank()).toList();
        List<int[]> columns = columns(data);
        List<ComposePsRow> rows = new ArrayList<>();
        for (String line : data) {
            Map<String, String> cells = cells(lines.get(dashes - 1), columns, line);
            rows.add(row(cells.getOrDefault("name", ""), cells.getOrDefault("state", "")));
        }
        return rows;
    }

    /** v1's state column: "Up", "Up (healthy)", "Up (health: starting)", "Exit 1", "Restarting", "Paused". */
    static ComposePsRow row(String name, String text) {
        String state;
        String health = null;
        if (text.startsWith("Up")) {
            state = "running";
            Matcher h = Pattern.compile("\\((?:health: )?([a-z]+)\\)").matcher(text);
            health = h.find() ? h.group(1) : null;
        } else if (text.startsWith("Exit")) {
            state = "exited";
        } else {
            state = text.isEmpty() ? "unknown" : text.split(" ")[0].toLowerCase();
        }
        return new ComposePsRow(name, null, state, health, text);
    }

    private static Map<String, String> cells(String header, List<int[]> columns, String line) {
        Map<String, String> cells = new LinkedHashMap<>();
        Matcher word = WORD.matcher(header);
        while (word.find()) {
            for (int[] c : columns) {
                if (word.start() < c[1] && c[0] < word.end()) {
                    cells.put(word.group().toLowerCase(), cut(line, c[0], c[1]).strip());
                }
            }
        }
        return cells;
    }

    /** Text ranges [start, end) of the columns: runs of positions where some row has text, split at wide gaps. */
    private static List<int[]> columns(List<String> data) {
        int width = data.stream().mapToInt(String::length).max().orElse(0);
        List<int[]> columns = new ArrayList<>();
        int start = -1;
        int blanks = 0;
        for (int p = 0; p <= width; p++) {
            boolean text = false;
            for (String line : data) {
                text |= p < line.length() && line.charAt(p) != ' ';
            }
            if (text) {
                if (start < 0) {
                    start = p;
                }
                blanks = 0;
            } else if (start >= 0 && ++blanks == GAP) {
                columns.add(new int[] {start, p - GAP + 1});
                start = -1;
            }
        }
        if (start >= 0) {
            columns.add(new int[] {start, width});
        }
        return columns;
    }

    private static String cut(String line, int from, int to) {
        return from >= line.length() ? "" : line.substring(from, Math.min(to, line.length()));
    }
}
