package kr.everbit.deploy.engine.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import kr.everbit.deploy.engine.health.ComposePsRow;

/** The verify report as text lines for a console: the probe table, then the post-deploy report when there is one. */
public final class VerifyReportText {
    private VerifyReportText() {
    }

    public static List<String> render(VerifyReport report) {
        List<String> out = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("PROBE", "RESULT", "ATTEMPTS", "TIME", "LAST OBSERVATION"));
        for (ProbeRow p : report.probes()) {
            rows.add(List.of(p.name(), p.ok() ? "pass" : "FAIL", String.valueOf(p.attempts()),
                    ProbeTrack.seconds(p.elapsedMillis()), p.observed()));
        }
        out.addAll(table(rows));
        report.probes().stream().filter(p -> p.warning() != null).forEach(p -> out.add("warning: " + p.warning()));
        out.add((report.ok() ? "verify passed" : "verify FAILED: " + report.failure()) + " after "
                + ProbeTrack.seconds(report.elapsedMillis()));
        if (report.report() != null) {
            out.addAll(postDeploy(report.report()));
        }
        return out;
    }

    private static List<String> postDeploy(PostDeployReport report) {
        List<String> out = new ArrayList<>();
        out.add("");
        out.add("containers of the compose project (compose ps):");
        if (report.containers() == null) {
            report.psLines().forEach(l -> out.add("  " + l));
        } else if (report.containers().isEmpty()) {
            out.add("  (no containers)");
        } else {
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("NAME", "SERVICE", "STATE", "HEALTH", "STATUS"));
            Function<String, String> dash = s -> s == null || s.isEmpty() ? "-" : s;
            for (ComposePsRow c : report.containers()) {
                rows.add(List.of(c.name(), dash.apply(c.service()), c.state(), dash.apply(c.health()), c.status()));
            }
            table(rows).forEach(l -> out.add("  " + l));
        }
        for (Map.Entry<String, List<String>> logs : report.logs().entrySet()) {
            out.add("");
            out.add("last " + VerifyOptions.LOG_LINES + " log lines of " + logs.getKey() + ":");
            logs.getValue().forEach(l -> out.add("  " + l));
        }
        return out;
    }

    /** Left-aligned columns; the last one is not padded. */
    private static List<String> table(List<List<String>> rows) {
        int columns = rows.get(0).size();
        int[] width = new int[columns];
        for (List<String> row : rows) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        }
        List<String> out = new ArrayList<>();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                line.append(c == columns - 1 ? row.get(c) : String.format("%-" + width[c] + "s  ", row.get(c)));
            }
            out.add(line.toString().stripTrailing());
        }
        return out;
    }
}
