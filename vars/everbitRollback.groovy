import kr.everbit.pipeline.ReleaseTable
import kr.everbit.pipeline.ShaParameter
import kr.everbit.pipeline.StepArgs

/*
 * Body of the Rollback job (section 3 of the standard: rollback = redeploy an earlier SHA). The SHA is checked
 * before anything runs; the ledger's recent releases are shown, a person confirms, then rollbackToSha and
 * verifyHealth. Glue only; help: everbitRollback.txt.
 */
def call(Map config = [:]) {
    String problem = StepArgs.unknownKeys('everbitRollback', config, StepArgs.ROLLBACK_KEYS)
    if (problem) {
        error(problem)
    }
    Object raw = config.containsKey('sha') ? config.sha : params.SHA
    String shaProblem = ShaParameter.problem(raw)
    if (shaProblem) {
        error(shaProblem)
    }
    String target = ShaParameter.normalize(raw)
    Map cfg = [confirm: true, confirmMinutes: 15, releases: 10] + config

    stage('Recent releases') {
        onAgent(cfg.agent) {
            echo(ReleaseTable.render(everbitReleases(StepArgs.releases(cfg, cfg.releases as int))))
        }
    }
    if (cfg.confirm != false) {
        stage('Confirm') {
            // Outside node: waiting for a person must not hold an executor.
            timeout(time: cfg.confirmMinutes, unit: 'MINUTES') {
                Map question = [message: 'Roll back the VM to ' + target + '?', ok: 'Roll back']
                if (cfg.submitter) {
                    question.submitter = cfg.submitter
                }
                input(question)
            }
        }
    }
    onAgent(cfg.agent) {
        String running = null
        stage('Roll back') {
            running = rollbackToSha(StepArgs.rollbackToSha(cfg, target))
            currentBuild.description = 'rolled back to ' + ReleaseTable.shortSha(running)
        }
        stage('Verify health') {
            try {
                verifyHealth(StepArgs.verifyHealth(cfg))
            } catch (Exception failure) {
                currentBuild.description = 'rolled back to ' + ReleaseTable.shortSha(running) + ', but unhealthy'
                error('Rolled back to ' + running + ' but it is unhealthy: ' + (failure.message ?: failure.class.simpleName))
            }
        }
    }
}

def onAgent(String label, Closure body) {
    if (label) {
        node(label) { body() }
    } else {
        node { body() }
    }
}
