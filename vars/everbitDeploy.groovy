import kr.everbit.pipeline.DeployBranch
import kr.everbit.pipeline.ReleaseTable
import kr.everbit.pipeline.StepArgs

/*
 * Method B of the deployment standard (section 4.2) as one call: checkout, test, build image, push, compose up,
 * verify health, and back to the previous SHA when the verification fails. Glue only: the plugin's steps do the
 * work and take every setting left out here from the global configuration "Everbit deploy". Help: everbitDeploy.txt.
 */
def call(Map config = [:]) {
    String problem = StepArgs.unknownKeys('everbitDeploy', config, StepArgs.DEPLOY_KEYS)
    if (problem) {
        error(problem)
    }
    Map cfg = [deployBranch: 'main', testCommand: 'mvn -B verify'] + config
    onAgent(cfg.agent) {
        String sha = null
        String testsOnly = null
        stage('Checkout') {
            Map scmVars = checkout(scm) ?: [:]
            sha = scmVars.GIT_COMMIT ?: env.GIT_COMMIT
            if (!sha) {
                error('everbitDeploy: the checkout reported no GIT_COMMIT; the image tag is the commit SHA, so a Git checkout is required')
            }
            String branch = DeployBranch.of(env.BRANCH_NAME, scmVars.GIT_BRANCH ?: env.GIT_BRANCH)
            testsOnly = DeployBranch.testsOnlyBecause(env.CHANGE_ID, branch, cfg.deployBranch)
            echo(testsOnly ?: 'Commit ' + sha + ' on ' + branch + ': test, build, push, compose up, verify')
        }
        stage('Test') {
            sh(cfg.testCommand)
        }
        if (testsOnly) {
            return
        }
        stage('Build image') {
            buildImage(StepArgs.buildImage(cfg, sha))
        }
        stage('Push to registry') {
            pushGhcr(StepArgs.pushGhcr(cfg, sha))
        }
        stage('Compose up') {
            sshComposeUp(StepArgs.sshComposeUp(cfg, sha))
        }
        stage('Verify health') {
            verifyOrRollBack(cfg, sha)
        }
    }
}

/** A failed verification puts the previous SHA back, then fails the build with the reason in its description. */
def verifyOrRollBack(Map cfg, String sha) {
    String reason
    try {
        verifyHealth(StepArgs.verifyHealth(cfg))
        return
    } catch (Exception failure) {
        reason = firstLine(failure)
    }
    String running
    try {
        running = rollbackToSha(StepArgs.rollbackFailed(cfg))
    } catch (Exception rollbackFailure) {
        currentBuild.description = ReleaseTable.shortSha(sha) + ' unhealthy (' + reason + '); rollback FAILED: ' +
                firstLine(rollbackFailure)
        error('Verify health failed for ' + sha + ': ' + reason + '. Rolling back to the previous release failed too: ' +
                firstLine(rollbackFailure) + '. Check the VM now (runbook: roll back by hand).')
    }
    currentBuild.description = ReleaseTable.shortSha(sha) + ' unhealthy (' + reason + '); rolled back to ' +
            ReleaseTable.shortSha(running)
    error('Verify health failed for ' + sha + ': ' + reason + '. Rolled back to the previous release ' + running + '.')
}

def firstLine(Exception e) {
    String message = e.message ?: e.class.simpleName
    return message.readLines() ? message.readLines()[0] : message
}

def onAgent(String label, Closure body) {
    if (label) {
        node(label) { body() }
    } else {
        node { body() }
    }
}
