package kr.everbit.deploy.engine.health;

import java.util.ArrayList;
import java.util.List;
import kr.everbit.deploy.engine.remote.ShellResult;

/** Reads what {@link HealthScripts#httpGet} printed back into an {@link HttpAnswer}. */
final class RemoteHttpOutput {
    private RemoteHttpOutput() {
    }

    static HttpAnswer parse(ShellResult result) {
        List<String> lines = result.lines();
        int mark = -1;
        String error = null;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(HealthScripts.STATUS)) {
                mark = i;
            } else if (lines.get(i).startsWith(HealthScripts.ERROR)) {
                error = lines.get(i).substring(HealthScripts.ERROR.length()).strip();
            }
        }
        if (mark < 0) {
            return HttpAnswer.failed("the VM did not run the HTTP check (" + (result.lastLine().isEmpty()
                    ? "exit " + result.exitCode() : result.lastLine()) + ")");
        }
        String code = lines.get(mark).substring(HealthScripts.STATUS.length()).strip();
        if (!code.matches("[1-9][0-9]{2}")) {
            return HttpAnswer.failed(error == null || error.isEmpty() ? "no answer" : error);
        }
        List<String> body = new ArrayList<>(lines.subList(0, mark));
        // The status line's own leading newline leaves one empty line after a body that ended with a newline.
        if (!body.isEmpty() && body.get(body.size() - 1).isEmpty()) {
            body.remove(body.size() - 1);
        }
        return new HttpAnswer(Integer.parseInt(code), String.join("\n", body), null, null);
    }
}
