package kr.everbit.deploy.engine.flow;

import java.util.List;
import java.util.Map;
import kr.everbit.deploy.engine.health.ComposePsRow;

/**
 * Section 5 of the standard, read over the session: the project's containers ({@code docker ps} of the compose
 * project) and the last log lines of the named services, all masked.
 *
 * @param containers the parsed {@code compose ps}, or null when it could not be read
 * @param psLines    what {@code compose ps} printed, kept for when it could not be parsed
 * @param logs       service → its last log lines
 */
public record PostDeployReport(List<ComposePsRow> containers, List<String> psLines, Map<String, List<String>> logs) {
}
