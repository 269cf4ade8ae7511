package kr.everbit.pipeline

/**
 * Decides whether a build deploys: only the deploy branch does; pull requests and other branches run the tests.
 */
class DeployBranch implements Serializable {
    private static final long serialVersionUID = 1L

    /** The branch being built: Multibranch's BRANCH_NAME, else the Git plugin's GIT_BRANCH without its remote. */
    static String of(String branchName, String gitBranch) {
        if (branchName) {
            return branchName
        }
        if (!gitBranch) {
            return null
        }
        return gitBranch.replaceFirst('^refs/heads/', '').replaceFirst('^(refs/remotes/)?origin/', '')
    }

    /** Null when this build deploys; otherwise why it runs the tests only. */
    static String testsOnlyBecause(String changeId, String branch, String deployBranch) {
        if (changeId) {
            return 'pull request #' + changeId + ': tests only, no deploy'
        }
        if (!branch) {
            return 'the branch is unknown (neither BRANCH_NAME nor GIT_BRANCH is set): tests only, no deploy'
        }
        if (branch != deployBranch) {
            return 'branch ' + branch + ' is not ' + deployBranch + ': tests only, no deploy'
        }
        return null
    }
}
