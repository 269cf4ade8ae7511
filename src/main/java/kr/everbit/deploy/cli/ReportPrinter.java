package kr.everbit.deploy.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.List;
import kr.everbit.deploy.engine.flow.VerifyReport;
import kr.everbit.deploy.engine.flow.VerifyReportJson;
import kr.everbit.deploy.engine.flow.VerifyReportText;

/** Prints verify reports: the table for people, or JSON for machines. */
final class ReportPrinter {
    private ReportPrinter() {
    }

    static void table(PrintStream out, VerifyReport report) {
        VerifyReportText.render(report).forEach(out::println);
    }

    static void json(PrintStream out, VerifyReport report) {
        out.println(VerifyReportJson.render(report));
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
        out.println(VerifyReportJson.write(root));
    }
}
