package kr.everbit.deploy.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.List;
import kr.everbit.deploy.engine.flow.ProbeRow;
import kr.everbit.deploy.engine.flow.VerifyReport;
import kr.everbit.deploy.engine.flow.VerifyReportJson;
import kr.everbit.deploy.engine.flow.VerifyReportText;

/** Prints verify reports, in the CLI's terms: the table for people, or JSON for machines. */
final class ReportPrinter {
    private ReportPrinter() {
    }

    /**
     * Loads and exercises the JSON writer before polling starts: its first use costs about 200 ms, which would
     * otherwise fall between the moment the release is healthy and the moment verify says so.
     */
    static void prepare(boolean json) {
        if (json) {
            VerifyReportJson.render(new VerifyReport(true, List.of(new ProbeRow("warm-up", true, 1, 0, "", null)), 0, null, null));
        }
    }

    static void table(PrintStream out, VerifyReport report) {
        VerifyReportText.render(report).forEach(line -> out.println(OptionNames.render(line)));
    }

    static void json(PrintStream out, VerifyReport report) {
        out.println(OptionNames.render(VerifyReportJson.render(report)));
    }

    /** {@code deploy --json}: the outcome plus the report of every verify the deploy ran, in order. */
    static void deployJson(PrintStream out, String release, String running, int exitCode, String message,
                           List<VerifyReport> reports) {
        ObjectNode root = VerifyReportJson.newObject();
        root.put("ok", exitCode == 0);
        root.put("exitCode", exitCode);
        root.put("release", release);
        root.put("running", running);
        if (message != null) {
            root.put("message", message);
        }
        var verifies = root.putArray("verify");
        reports.forEach(r -> verifies.add(VerifyReportJson.node(r)));
        out.println(OptionNames.render(VerifyReportJson.write(root)));
    }
}
