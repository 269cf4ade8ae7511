package kr.everbit.pipeline

/**
 * Which of the caller's config keys each plugin step receives. Only keys the caller set are passed on, so every
 * omitted setting falls back to the plugin's global configuration ("Everbit deploy").
 */
class StepArgs implements Serializable {
    private static final long serialVersionUID = 1L

    /** How a step reaches the compose project on the VM (sshComposeUp, verifyHealth, rollbackToSha, everbitReleases). */
    static final List<String> CONNECTION = ['host', 'port', 'user', 'sshCredentialsId', 'knownHosts',
            'knownHostsCredentialsId', 'dir', 'composeFiles', 'service', 'image', 'target', 'stack'].asImmutable()
    static final List<String> HEALTH = ['urls', 'remoteUrls', 'containers', 'tcp', 'prometheus', 'timeout', 'settle'].asImmutable()
    static final List<String> BUILD = ['image', 'context', 'dockerfile', 'buildArgs'].asImmutable()
    /**
     * How a release replaces the live one (restart, or the proxy switch through Nginx) and when it counts as started:
     * sshComposeUp, rollbackToSha.
     */
    static final List<String> SWITCH = ['switch', 'proxyUpstream', 'proxyTest', 'proxyReload', 'proxyHost', 'proxyPort',
            'proxyPortEnv', 'drain', 'warm', 'readyPath', 'startSettle'].asImmutable()
    /** Registry login: pushGhcr's credentialsId, and the VM's pull in sshComposeUp and rollbackToSha. */
    static final String REGISTRY = 'registryCredentialsId'
    /** The VM's own read-only registry login (sshComposeUp, rollbackToSha), so that the push token stays off the VM. */
    static final String PULL = 'pullCredentialsId'

    /** Keys everbitDeploy accepts: its own, then those it hands to the steps. */
    static final List<String> DEPLOY_KEYS = (['deployBranch', 'testCommand', 'agent', REGISTRY, PULL, 'retain',
            Verification.KEY] +
            BUILD + CONNECTION + SWITCH + HEALTH).unique().asImmutable()
    /** Keys everbitRollback accepts. */
    static final List<String> ROLLBACK_KEYS = (['sha', 'confirm', 'submitter', 'confirmMinutes', 'releases', 'agent',
            REGISTRY, PULL, Verification.KEY] + CONNECTION + SWITCH + HEALTH).unique().asImmutable()

    static Map buildImage(Map cfg, String sha) {
        return [sha: sha] + pick(cfg, BUILD)
    }

    static Map pushGhcr(Map cfg, String sha) {
        Map args = [sha: sha] + pick(cfg, ['image'])
        if (cfg.containsKey(REGISTRY)) {
            args.credentialsId = cfg[REGISTRY]
        }
        return args
    }

    static Map sshComposeUp(Map cfg, String sha) {
        return [sha: sha] + pick(cfg, CONNECTION + SWITCH + [REGISTRY, PULL, 'retain'])
    }

    static Map verifyHealth(Map cfg) {
        return pick(cfg, CONNECTION + HEALTH)
    }

    static Map rollbackToSha(Map cfg, String sha) {
        return [sha: sha] + pick(cfg, CONNECTION + SWITCH + [REGISTRY, PULL])
    }

    /**
     * The rollback after a failed verification names the release it verified: the ledger marks it as failed, and
     * the step changes nothing when the VM no longer runs it (someone deployed or rolled back since).
     */
    static Map rollbackFailed(Map cfg, String verifiedSha) {
        return rollbackToSha(cfg, 'previous') + [failedChecks: verifiedSha]
    }

    static Map releases(Map cfg, int limit) {
        return [limit: limit] + pick(cfg, CONNECTION)
    }

    /** Null when every key is known; otherwise which are not (a typo would otherwise be silently ignored). */
    static String unknownKeys(String var, Map config, List<String> known) {
        List<String> unknown = []
        for (Object key : config.keySet()) {
            if (!known.contains(key)) {
                unknown << String.valueOf(key)
            }
        }
        if (unknown.isEmpty()) {
            return null
        }
        return var + ': unknown config key(s) ' + unknown.join(', ') + '; known keys: ' + known.join(', ')
    }

    private static Map pick(Map cfg, List<String> keys) {
        Map picked = [:]
        for (String key : keys) {
            if (cfg.containsKey(key)) {
                picked[key] = cfg[key]
            }
        }
        return picked
    }
}
